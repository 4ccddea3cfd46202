// The scenario API: what a scenario file exports through defineScenario().
import type { z } from 'zod';
import type { Clock } from '../../engine/clock.ts';
import type { Random } from '../../engine/random.ts';
import type { MetricsSink } from '../../engine/metrics/types.ts';
import type { Ledger } from '../../engine/ledger/types.ts';
import type { EventLog } from '../../engine/events.ts';
import type { Options } from '../../engine/options/types.ts';
import type { HttpClient, ImapConnector, SmtpClient } from '../../engine/clients/types.ts';
import type { Endpoints, Stack, StackSpec } from '../../stack/types.ts';
import type { Timeline } from '../../chaos/types.ts';
import type { Figure } from '../../engine/figures.ts';
import type { StoryChart } from './story.ts';
import type { DeclarationTable } from '../../engine/metrics/declare.ts';
import type { FlowLoad } from './flow-load.ts';

export type { EndpointLoad, FlowLoad } from './flow-load.ts';

export type { Figure };
export type { StoryChart, StoryLine } from './story.ts';

export type ParamsSchema = z.ZodObject<z.ZodRawShape>;


/** What setup, monitor, finish and teardown get. */
export interface RunContext<P> {
  params: P;
  /** Wall clock of the run (executors, latencies). */
  clock: Clock;
  /** The stack's simulated clock (policy time; faster than the wall clock when compressed). */
  simClock: Clock;
  random: Random;
  signal: AbortSignal;
  metrics: MetricsSink;
  ledger: Ledger;
  events: EventLog;
  stack: Stack;
  endpoints: Endpoints;
  smtp: SmtpClient;
  imap: ImapConnector;
  http: HttpClient;
  /** Reports a named figure (with its projection) into result.json. */
  figure(name: string, figure: Figure): void;
  /**
   * This run cannot measure `metric` (e.g. a remote platform that does not show its queue):
   * its gates are marked not evaluated, with `why`, instead of judged on a stand-in value.
   * Main thread only (setup, monitor, finish).
   */
  unmeasured(metric: string, why: string): void;
}

/** What a flow function gets for one iteration. */
export interface FlowContext<P, D> extends RunContext<P> {
  data: D;
  /** k6 scenario name (key of options.scenarios). */
  scenario: string;
  /** flow function name (exec). */
  flow: string;
  /** 1-based VU number within its executor. */
  vu: number;
  /** 0-based iteration number of this VU. */
  iteration: number;
}

export type Flow<P, D> = (ctx: FlowContext<P, D>) => Promise<void>;

/**
 * How `mailstorm capacity` steps a scenario's load: which numeric parameter a step sets, what
 * the step offers, and which metrics are its throughput, latency and queue.
 */
export interface CapacityDeclaration<P> {
  /** the numeric parameter each step sets ("users", "rate") */
  param: string;
  /** what one unit of that parameter is, for reports ("users", "messages/s") */
  unit: string;
  /** default load levels, smallest first (at least 6 for a scalability fit) */
  steps: readonly number[];
  /** throughput the step offers, per real second, at these params */
  offered: (params: P) => number;
  /** counter (tag filter allowed, "name{tag:value}") whose rate over the load window is achieved throughput */
  throughput: string;
  /** trend whose percentiles the SLO reads */
  latency: string;
  /** gauge of the stack's queue, when there is one; a growing queue means saturation */
  queue?: string;
  /** default SLO on the latency trend, a k6 threshold expression ("p(99)<2000") */
  slo: string;
  /** real seconds of load in one step: the window throughput is measured over */
  loadSeconds: (params: P) => number;
}

/**
 * The gates every scenario gets unless it says otherwise, so no run passes with nothing working:
 * `iterations: ['count>0']` (it did something) and, per flow, `iteration_failed{flow:<flow>}:
 * ['rate<0.05']` (fewer than 5% of its iterations threw); with a chaos timeline also
 * `mail_delivered_after_failure: ['count==0']`. A string replaces a gate's expression,
 * false switches it off; a threshold of the scenario's own on the same metric key replaces the
 * default for that key.
 */
export interface DefaultGates {
  /** expression of the per-flow iteration_failed gate (default "rate<0.05"); false: none */
  iterationErrors?: string | false;
  /** expression of the iterations gate (default "count>0"); false: none */
  iterations?: string | false;
  /**
   * expression of the mail_delivered_after_failure gate (default "count==0"), added only when
   * the scenario has a chaos timeline; false: none
   */
  deliveredAfterFailure?: string | false;
}

export interface ScenarioDefinition<S extends ParamsSchema = ParamsSchema, D = unknown> {
  /** kebab-case, unique: what `mailstorm run <name>` takes. */
  name: string;
  /** One line for `mailstorm list`. */
  description: string;
  /** The incident it replays, with its public facts. */
  incident: string;
  /** Parameters with defaults; --set and --scale are validated against it. */
  params: S;
  /** Grows volumes for --scale N (N=1 leaves the defaults). Result is validated again. */
  scale?: (params: z.output<S>, factor: number) => z.output<S>;
  /** Simulated-time speed-up for the stack's clock (default 1). */
  timeCompression?: (params: z.output<S>) => number;
  /** What to ask of the stack. */
  stack?: (params: z.output<S>) => StackSpec;
  /** k6 options: scenarios (executors) and thresholds (gates). */
  options: (params: z.output<S>) => Options;
  /** Overrides or switches off (false) the default gates; see DefaultGates. */
  defaultGates?: false | DefaultGates | ((params: z.output<S>) => false | DefaultGates);
  /** What the scenario's own metrics are (kind, unit, label); declared before setup. */
  metrics?: DeclarationTable;
  setup?: (ctx: RunContext<z.output<S>>) => Promise<D>;
  flows: Record<string, Flow<z.output<S>, D>>;
  /**
   * Flows that may run in worker threads (`--workers`): they use only what a worker can give
   * (params, a copy of setup's data, the protocol clients, metrics, clock, random, endpoints,
   * events, figures, and stack.directory's userCount, addressAt and user(a).password). Any other flow stays on
   * the main thread, and the run says so.
   */
  workerFlows?: readonly string[];
  /**
   * What each flow sends per iteration, by flow name (see flow-load.ts): `mailstorm plan` and
   * the remote caps multiply it by the executors' planned iterations. A flow left out is
   * reported as "load not declared", never guessed.
   */
  load?: (params: z.output<S>) => Record<string, FlowLoad>;
  /** How `mailstorm capacity` steps this scenario's load (absent: capacity refuses the scenario). */
  capacity?: CapacityDeclaration<z.output<S>>;
  /** Fault timeline, applied while the load runs; always rolled back. */
  chaos?: (params: z.output<S>) => Timeline;
  /** Called about once a second during load and drain: record gauges (queue depth, locked accounts). */
  monitor?: (ctx: RunContext<z.output<S>> & { data: D; elapsedMs: number }) => void;
  /** After the load: how long to wait for outstanding deliveries before they count as lost. */
  drain?: (params: z.output<S>) => { timeout: string };
  /** After drain and reconcile: compute figures and final metrics that gates read. */
  finish?: (ctx: RunContext<z.output<S>> & { data: D }) => Promise<void>;
  /** The charts that tell the incident, drawn right under the verdict (see story.ts). */
  story?: (params: z.output<S>) => StoryChart[];
  teardown?: (ctx: RunContext<z.output<S>> & { data: D }) => Promise<void>;
}

/** Identity function that gives a scenario file type inference. */
export function defineScenario<S extends ParamsSchema, D = unknown>(
  definition: ScenarioDefinition<S, D>,
): ScenarioDefinition<S, D> {
  return definition;
}
