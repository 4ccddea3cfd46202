// The remote stack's safety caps, checked against a run's load plan before anything is
// sent: a plan above a cap (or one the caps cannot be checked against) stops the run with
// an InputError (exit 2) naming the endpoint, the cap, the planned figure and the key to raise.
import { InputError } from '../../engine/errors.ts';
import { capOf, parseRemoteConfig, type RemoteConfig } from '../../stack/remote/config.ts';
import type { StackKind } from '../../stack/providers.ts';
import type { RunPlan } from '../run/prepare.ts';
import { planLoad, type LoadPlan } from './load-plan.ts';

const round = (n: number) => Math.round(n * 100) / 100;

/** One line per breach; empty when the plan is within every cap. */
export function capBreaches(load: LoadPlan, config: RemoteConfig): string[] {
  const lines: string[] = [];
  for (const flow of load.undeclared) {
    lines.push(`${load.scenario}: flow "${flow}" declares no load, so the caps cannot be checked; a remote run needs every flow's load declared (the scenario's load field)`);
  }
  for (const e of load.endpoints) {
    const cap = capOf(config, e.endpoint);
    const key = config.caps?.[e.endpoint];
    const shown = (k: 'rate' | 'connections') => `caps.${e.endpoint}.${k} is ${cap[k]}${key?.[k] === undefined ? ' (the default)' : ''}`;
    if (e.peakMessagesPerSec === null || e.peakRequestsPerSec === null) {
      lines.push(`${load.scenario}: ${e.endpoint}: the plan cannot bound the rate (a closed-loop executor with no declared pace: ${e.from.join(', ')}), so ${shown('rate')} cannot be checked`);
    } else {
      const rate = e.peakMessagesPerSec + e.peakRequestsPerSec;
      if (rate > cap.rate) lines.push(`${load.scenario}: ${e.endpoint}: the plan peaks at ${round(rate)} messages+requests/s and ${shown('rate')}; raise caps.${e.endpoint}.rate in the --config file to allow it`);
    }
    if (e.peakConnections > cap.connections) {
      lines.push(`${load.scenario}: ${e.endpoint}: the plan opens up to ${e.peakConnections} connections and ${shown('connections')}; raise caps.${e.endpoint}.connections in the --config file to allow it`);
    }
  }
  return lines;
}

/** Throws InputError when a remote run's plan exceeds its caps; other stacks have none. */
export function enforceCaps(plan: RunPlan, stackKind: StackKind, config: Record<string, unknown> | undefined): void {
  if (stackKind !== 'remote' || config === undefined) return;
  const breaches = capBreaches(planLoad(plan), parseRemoteConfig(config));
  if (breaches.length) throw new InputError(`the plan exceeds the remote stack's caps; nothing was sent:\n${breaches.map((l) => `  ${l}`).join('\n')}`);
}
