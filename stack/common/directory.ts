// mailstorm's directory for a stack: the spec's population (or a small default), lists,
// lockout policy and helpdesk, on the run's clocks and random source. Every provider that
// hosts a population builds it here, so the same spec gives the same users everywhere.
import { Directory } from '../../directory/index.ts';
import type { StackOptions } from '../types.ts';
import { DEFAULT_POPULATION } from './spec-defaults.ts';

export function buildDirectory(options: StackOptions, extra: { domain?: string } = {}): Directory {
  const { spec } = options;
  return new Directory({
    clock: options.clock,
    random: options.random.fork('directory'),
    metrics: options.metrics,
    events: options.events,
    ...(extra.domain !== undefined && { domain: extra.domain }),
    population: spec.population ?? DEFAULT_POPULATION,
    ...(spec.lists && { lists: spec.lists }),
    ...(spec.lockout && { lockout: spec.lockout }),
    ...(spec.helpdesk && { helpdesk: spec.helpdesk }),
  });
}
