// The load: executors run the flows while the chaos timeline plays and a once-a-second
// monitor samples progress, calls scenario.monitor and checks abortOnFail gates. Then
// the drain, still monitored.
import { errorMessage } from '../../engine/errors.ts';
import type { EventLog } from '../../engine/events.ts';
import type { RunContext } from '../scenario/types.ts';
import type { MetricsRegistry } from '../../engine/metrics/registry.ts';
import { runExecutors } from '../../engine/executors/index.ts';
import type { ExecutionTuple } from '../../engine/executors/execution-segment.ts';
import { checkAborts, evaluateThresholds } from '../../engine/thresholds/index.ts';
import { startChaos } from '../../chaos/runner.ts';
import { validateTimeline } from '../../chaos/validate.ts';
import type { Stack } from '../../stack/types.ts';
import type { MultiReporter } from '../multiplex.ts';
import type { RunPlan } from './prepare.ts';
import type { RunRecord } from './build-result.ts';
import type { ErrorTally } from './error-tally.ts';
import type { FlowCounter } from './flow-counter.ts';
import type { TaskList } from './tasks.ts';
import { smtpForFlow } from './context.ts';
import type { ExecutionHandle, ExecutorDeps } from '../../engine/executors/types.ts';
import { startSplitRun } from '../workers/split-run.ts';

export interface LoadPhaseParts {
  plan: RunPlan;
  ctx: RunContext<Record<string, unknown>>;
  data: unknown;
  stack: Stack;
  events: EventLog;
  errors: ErrorTally;
  counter: FlowCounter;
  reporters: MultiReporter;
  signal: AbortSignal;
  tasks: TaskList;
  record: RunRecord;
  stop: (reason: string) => void;
  drain: (signal: AbortSignal) => Promise<{ drained: boolean; waitedMs: number }>;
  segment?: ExecutionTuple;
  /** --workers: worker threads that split the executors' work (1: all on the main thread) */
  workers?: number;
  /** the scenario's module, which worker threads import themselves */
  moduleUrl?: string;
  seed: number;
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

export async function loadPhase(p: LoadPhaseParts): Promise<void> {
  const { plan, ctx, signal } = p;
  const def = plan.definition;
  const metrics = ctx.metrics as MetricsRegistry;
  const startedAt = p.record.startedAt;

  const flows = Object.fromEntries(Object.entries(def.flows).map(([name, flow]) => [name,
    async (it: { scenario: string; flow: string; vu: number; iteration: number; signal: AbortSignal }) => {
      p.counter.inc(it.flow);
      await flow({
        ...ctx, smtp: smtpForFlow(ctx.smtp, it.flow), signal: it.signal, data: p.data,
        scenario: it.scenario, flow: it.flow, vu: it.vu, iteration: it.iteration,
      });
    }]));
  const chaosAbort = new AbortController();
  if (plan.timeline.length) {
    // Proxy names are known only now that the stack runs; a timeline naming another is bad input.
    validateTimeline(plan.timeline, Object.keys(ctx.endpoints.proxies));
    const chaos = startChaos(plan.timeline, {
      toxiproxyUrl: ctx.endpoints.toxiproxy, proxies: ctx.endpoints.proxies, clock: ctx.clock, events: p.events, signal: chaosAbort.signal,
    });
    p.record.chaos = chaos.events;
    p.tasks.onTeardown('chaos rollback', () => chaos.rollback());
    chaos.done.catch((error: unknown) => {
      if (!chaosAbort.signal.aborted) {
        p.record.harnessError = `chaos timeline failed: ${errorMessage(error)}`;
        p.stop(p.record.harnessError);
      }
    });
  }

  // Series seconds count from the run's start; a docker stack takes seconds to start before
  // this, so whoever reads a load window from the series needs to know where it begins.
  p.record.loadStartedMs = ctx.clock.now() - startedAt;
  const deps: ExecutorDeps = {
    flows, clock: ctx.clock, metrics: ctx.metrics, signal, onIterationError: (info) => p.errors.add(info.error),
    ...(p.segment ? { segment: p.segment } : {}),
  };
  let executors: ExecutionHandle;
  let closeWorkers = async () => {};
  if ((p.workers ?? 1) > 1) {
    const split = await startSplitRun({
      workers: p.workers ?? 1, definition: def, scenarios: plan.options.scenarios, params: plan.params as Record<string, unknown>,
      timeCompression: plan.timeCompression, seed: p.seed, startedAt, data: p.data, stack: p.stack, endpoints: ctx.endpoints,
      clock: ctx.clock, metrics, ledger: ctx.ledger, events: p.events, figures: p.record.figures, errors: p.errors, counter: p.counter, deps,
      ...(p.moduleUrl ? { moduleUrl: p.moduleUrl } : {}),
      onCrash: (segment, message) => {
        p.record.harnessError ??= `worker thread for execution segment ${segment} crashed (${message}): its share of the load is missing`;
      },
    });
    // No worker outlives the run: closed when the load ends, and again at teardown.
    p.tasks.onTeardown('worker threads', () => split.close());
    closeWorkers = () => split.close();
    p.record.workers = () => split.record();
    executors = split;
  } else {
    executors = runExecutors(plan.options.scenarios, deps);
  }

  // Once a second during load and drain.
  const monitorAbort = new AbortController();
  let lastSampleAt = ctx.clock.now();
  const tick = () => {
    const now = ctx.clock.now();
    const elapsedMs = now - startedAt;
    try {
      def.monitor?.({ ...ctx, data: p.data, elapsedMs });
    } catch (error) {
      p.errors.add(error);
    }
    // `vus` has one writer: the executors sample it once a second (engine/executors).
    const depth = p.stack.queueDepth();
    if (depth !== undefined) ctx.metrics.gauge('queue_depth', depth);
    const abortGate = checkAborts(plan.thresholds, metrics, elapsedMs);
    if (abortGate) p.stop(`aborted: gate ${abortGate.metric} ${abortGate.expression} failed (observed ${abortGate.observed ?? 'no samples'}, abortOnFail)`);
    // Only gates whose metric has samples: ledger counters are recorded at the end of the run.
    const live = plan.thresholds.filter((t) => metrics.query(t.name, t.filter) !== undefined);
    const failing = evaluateThresholds(live, metrics, { final: false }).filter((g) => !g.ok).map((g) => `${g.metric} ${g.expression}`);
    p.reporters.onSample({
      elapsedMs, iterationsPerSec: p.counter.ratesSince(now - lastSampleAt), activeVUs: executors.activeVUs(),
      errors: p.errors.total, refused: metrics.query('smtp.success')?.stat('fails') ?? 0, failingGates: failing, outstandingDeliveries: ctx.ledger.outstanding(),
    });
    lastSampleAt = now;
  };
  const monitor = (async () => {
    // Bounded by the run's time limit (the watchdog aborts `signal`) and by this count.
    const maxTicks = Math.ceil(plan.maxRunMs / 1000) + 1;
    for (let i = 0; i < maxTicks && !monitorAbort.signal.aborted; i++) {
      try {
        await ctx.clock.sleep(1000, monitorAbort.signal);
      } catch {
        return;
      }
      tick();
    }
  })();

  try {
    await Promise.race([executors.done, aborted(signal)]);
    if (signal.aborted) {
      executors.stop(errorMessage(signal.reason));
      // Iterations in flight get their gracefulStop, then the executors give up on them.
      // The wait is cancelled once they are done, so its timer cannot hold the process open.
      const grace = new AbortController();
      await Promise.race([executors.done, ctx.clock.sleep(plan.gracefulStopMs + 5000, grace.signal).catch(() => {})]);
      grace.abort();
    } else {
      await executors.done;
    }
    chaosAbort.abort();
    await closeWorkers();
    if (!signal.aborted) {
      const drain = await p.drain(signal);
      p.events.record('drain', { drained: drain.drained, waitedMs: drain.waitedMs, outstanding: ctx.ledger.outstanding() });
    }
  } finally {
    chaosAbort.abort();
    monitorAbort.abort();
    await closeWorkers();
    await monitor;
  }
}
