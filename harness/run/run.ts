// One scenario run as an ordered list of tasks (see tasks.ts):
//   start stack -> clients -> setup -> load + chaos + monitor -> drain -> reconcile
//   -> finish -> gates -> teardown (reverse) -> reports.
// Reports are written in every case; a run that stopped early says why.
import type { ExecutionTuple } from '../../engine/executors/execution-segment.ts';
import path from 'node:path';
import { systemClock, type Clock } from '../../engine/clock.ts';
import { PacedClock } from '../../engine/paced-clock.ts';
import { seededRandom } from '../../engine/random.ts';
import { MemoryEventLog } from '../../engine/events.ts';
import { InputError, StackError, errorMessage } from '../../engine/errors.ts';
import { MetricsRegistry } from '../../engine/metrics/registry.ts';
import { MemoryLedger } from '../../engine/ledger/memory-ledger.ts';
import { evaluateThresholds } from '../../engine/thresholds/index.ts';
import { markUnseen } from '../../engine/thresholds/not-evaluated.ts';
import { isLedgerMetric } from '../../engine/ledger/metric-declarations.ts';
import type { RunContext } from '../scenario/types.ts';
import type { LoadedScenario } from '../scenario/load.ts';
import { redactParams, type ParamOverrides } from '../scenario/params.ts';
import type { Stack, StackProvider } from '../../stack/types.ts';
import type { StackKind } from '../../stack/providers.ts';
import type { Reporter } from '../reporter.ts';
import type { RunResult } from '../result-schema.ts';
import { MultiReporter } from '../multiplex.ts';
import { TaskList } from './tasks.ts';
import { prepareRun, type RunPlan } from './prepare.ts';
import { buildResult, type RunRecord } from './build-result.ts';
import { EXIT, exitCodeFor } from './exit-code.ts';
import { ErrorTally } from './error-tally.ts';
import { FlowCounter } from './flow-counter.ts';
import { loadPhase } from './load-phase.ts';
import { buildContext } from './context.ts';
import { recordLedger } from './record-ledger.ts';
import { drainLedger } from '../../engine/ledger/drain.ts';
import { untilAborted } from './until-aborted.ts';
import { CHECKPOINT_EVERY_MS, checkpointResult, startCheckpoints } from './checkpoint.ts';
import { RigMonitor } from '../rig/monitor.ts';
import { assessRig, rigFigures } from '../rig/assess.ts';
import { DEFAULT_RIG_LIMITS } from '../rig/limits.ts';
import type { RigLimits } from '../rig/types.ts';
import { declareAll } from '../../engine/metrics/declare.ts';
import { RUN_METRICS } from './metric-declarations.ts';
import { watchKillSwitch } from './kill-switch.ts';
import { enforceCaps } from '../plan/caps.ts';
import { accountRedactor, redactFiles, redactingReporter, redactValue, type Redact } from './redact-accounts.ts';

export interface RunRequest {
  scenario: LoadedScenario;
  overrides: ParamOverrides;
  seed: number;
  stackKind: StackKind;
  /** resolved only after validation, so a bad --set never loads a stack provider */
  provider: () => Promise<StackProvider>;
  /** parsed --config */
  config?: Record<string, unknown>;
  runId: string;
  outDir: string;
  command: string;
  version: string;
  reporters: readonly Reporter[];
  /** aborted with 'SIGINT' or 'SIGTERM' as its reason when the user interrupts */
  signal?: AbortSignal;
  clock?: Clock;
  marginMs?: number;
  /** how often a partial result.json is written during the run (default 5 s) */
  checkpointMs?: number;
  /** warnings (reporter or teardown failures) */
  warn?: (message: string) => void;
  /** --execution-segment(-sequence): the share of every executor this process runs */
  segment?: ExecutionTuple;
  /** --rig-limit: above these the harness was overloaded and the stack is not judged */
  rigLimits?: RigLimits;
  /** --redact: account names are hashed in everything the run writes (see redact-accounts.ts) */
  redact?: boolean;
  /** --workers: worker threads splitting the executors by execution segments (default 1: none) */
  workers?: number;
}

function perThread(limits: RigLimits, workerThreads: number): RigLimits {
  const cpu = limits.harnessCpuShare;
  return workerThreads === 0 || cpu === null ? limits : { ...limits, harnessCpuShare: Math.round(cpu * (workerThreads + 1) * 1000) / 1000 };
}

export interface RunOutcome {
  result: RunResult;
  exitCode: number;
  outDir: string;
}

export class ScenarioRun {
  readonly plan: RunPlan;
  readonly #req: RunRequest;
  readonly #clock: Clock;
  readonly #record: RunRecord;
  readonly #abort = new AbortController();
  /** identity unless --redact */
  readonly #redact: Redact;
  #interruptedBy: 'SIGINT' | 'SIGTERM' | undefined;

  /** Validates everything before anything starts; throws InputError. */
  constructor(req: RunRequest) {
    this.#req = req;
    this.#redact = req.redact ? accountRedactor() : (text) => text;
    this.#clock = req.clock ?? systemClock;
    this.plan = prepareRun(req.scenario.definition, req.overrides, req.marginMs);
    if (req.workers !== undefined && (!Number.isInteger(req.workers) || req.workers < 1)) throw new InputError(`--workers must be a positive integer or auto, got ${req.workers}`);
    if ((req.workers ?? 1) > 1 && req.segment) {
      throw new InputError(`--workers ${req.workers} with --execution-segment ${req.segment}: a process that runs one segment runs it on one thread; split the test into more segments instead (--execution-segment-sequence)`);
    }
    enforceCaps(this.plan, req.stackKind, req.config);
    const def = req.scenario.definition;
    this.#record = {
      version: req.version,
      runId: req.runId,
      scenario: { name: def.name, description: def.description, incident: def.incident, file: req.scenario.file },
      params: redactParams(def.params, this.plan.params as Record<string, unknown>),
      scale: this.plan.scale,
      seed: req.seed,
      command: req.command,
      stackKind: req.stackKind,
      startedAt: this.#clock.now(),
      chaos: [],
      events: () => [],
      figures: {},
      errors: [],
      gates: [],
    };
    const story = def.story?.(this.plan.params as never);
    if (story?.length) this.#record.story = { charts: story, timeCompression: this.plan.timeCompression };
  }

  /** Stops the run early; the first reason wins. */
  stop(reason: string): void {
    if (this.#abort.signal.aborted) return;
    this.#record.stopReason ??= reason;
    this.#abort.abort(new Error(reason));
  }

  /**
   * An error from outside the run's own awaits (an uncaught exception in a stack component):
   * the run stops as broken, still tears down and writes its reports.
   */
  fail(error: unknown): void {
    this.#record.harnessError ??= `${error instanceof StackError ? 'stack error' : 'uncaught error'}: ${errorMessage(error)}`;
    this.stop(this.#record.harnessError);
  }

  /** What result.json would say right now (for a second Ctrl-C). */
  snapshot(reason: string): RunResult {
    const earlier = this.#record.stopReason;
    this.#record.stopReason = earlier ? `${earlier}; ${reason}` : reason;
    const metrics = this.#record.metrics;
    if (metrics && this.#record.gates.length === 0) this.#record.gates = evaluateThresholds(this.plan.thresholds, metrics, { final: true });
    return this.#written(buildResult(this.#record, this.#clock.now(), true));
  }

  /** A result as it may be written down: with --redact, no account names. */
  #written(result: RunResult): RunResult {
    return this.#req.redact ? redactValue(result, this.#redact) : result;
  }

  async execute(): Promise<RunOutcome> {
    const { plan } = this;
    const req = this.#req;
    const rec = this.#record;
    const clock = this.#clock;
    const signal = this.#abort.signal;
    const warn = (message: string) => req.warn?.(this.#redact(message));
    const own = req.redact ? req.reporters.map((r) => redactingReporter(r, this.#redact)) : req.reporters;
    const reporters = new MultiReporter(own, (f) => warn(`reporter ${f.hook} failed: ${f.message}`));
    const tasks = new TaskList();
    const errors = new ErrorTally();
    const counter = new FlowCounter();
    let inputError = false;

    const onExternal = () => {
      const why = req.signal?.reason === 'SIGTERM' ? 'SIGTERM' : 'SIGINT';
      this.#interruptedBy = why;
      this.stop(`interrupted by ${why}`);
    };
    if (req.signal?.aborted) onExternal();
    req.signal?.addEventListener('abort', onExternal, { once: true });
    const armWatchdog = (limitMs: number, fromNowMs: number) => {
      const timer = setTimeout(() => this.stop(`time limit of ${Math.round(limitMs / 1000)} s exceeded`), fromNowMs);
      timer.unref();
      return timer;
    };
    let watchdog = armWatchdog(plan.maxRunMs, plan.maxRunMs);

    rec.startedAt = clock.now();
    const metrics = new MetricsRegistry({ startedAt: rec.startedAt, now: () => clock.now() });
    rec.metrics = metrics;
    const events = new MemoryEventLog(rec.startedAt, () => clock.now(), 100_000, (e) => reporters.onEvent(e));
    rec.events = () => events.all();
    const ledger = new MemoryLedger({ metrics, clock });
    const random = seededRandom(req.seed);
    const simClock = plan.timeCompression === 1 ? clock : new PacedClock(plan.timeCompression, { origin: clock.now(), metrics });

    await reporters.onBegin({ runId: req.runId, scenario: plan.definition.name, outDir: req.outDir, plannedMs: plan.plannedMs });
    const checkpoint = () => reporters.onCheckpoint(checkpointResult(rec, plan.thresholds, clock.now()), req.outDir);
    await checkpoint();
    const checkpoints = startCheckpoints(checkpoint, req.checkpointMs ?? CHECKPOINT_EVERY_MS);
    let deliveriesUnseen: string | undefined;
    const unmeasured = new Map<string, string>();
    try {
      const stack: Stack = await tasks.step('stack', async () => {
        const provider = await req.provider();
        const starting = provider.start({
          spec: plan.spec, clock: simClock, wallClock: clock, random: random.fork('stack'), metrics, ledger, events,
          logDir: path.join(req.outDir, 'logs'), ...(req.config ? { config: req.config } : {}),
        });
        return await untilAborted(starting, signal, (late) => late.stop());
      }, (s) => s.stop());
      rec.stack = stack.description;
      if (stack.auth) errors.redact(() => stack.auth!.secrets());
      deliveriesUnseen = stack.deliveriesUnseen;
      const collector = stack.collectDeliveries;
      // A collector that may take longer than the drain (a remote reconcile's timeout) gets that time too.
      const extraMs = Math.max(0, (collector?.timeoutMs ?? 0) - plan.drainMs);
      if (extraMs > 0) {
        clearTimeout(watchdog);
        watchdog = armWatchdog(plan.maxRunMs + extraMs, plan.maxRunMs + extraMs - (clock.now() - rec.startedAt));
      }
      const drain = (s: AbortSignal) => {
        if (collector) return collector.collect({ drainMs: plan.drainMs, signal: s });
        if (deliveriesUnseen === undefined) return drainLedger(ledger, clock, plan.drainMs, s);
        return Promise.resolve({ drained: false, waitedMs: 0 });
      };
      if (signal.aborted) throw signal.reason;
      using killSwitch = stack.killSwitch === undefined ? undefined : watchKillSwitch(stack.killSwitch, (r) => this.stop(r));

      const ctx: RunContext<Record<string, unknown>> = await tasks.step('clients', () => buildContext({
        params: plan.params as Record<string, unknown>, clock, simClock, random, signal, metrics, ledger, events, stack, figures: rec.figures, unmeasured,
      }), (c) => c.smtp.close());

      const def = plan.definition;
      declareAll(metrics, RUN_METRICS);
      if (def.metrics) declareAll(metrics, def.metrics);
      // Registered before the setup ends: a setup still running when the run is stopped is torn
      // down once it has finished (bounded by the teardown's step timeout), never left behind.
      const setup = Promise.resolve().then(() => def.setup?.(ctx));
      tasks.onTeardown('setup', async () => {
        const settled = await setup.then((d) => ({ d }), () => undefined);
        if (settled) await def.teardown?.({ ...ctx, data: settled.d });
      });
      const data = await untilAborted(setup, signal);
      if (signal.aborted) throw signal.reason;

      // The measured window is the load and its drain: what the gates judge.
      using rig = new RigMonitor(clock, rec.startedAt);
      const limits = req.rigLimits ?? DEFAULT_RIG_LIMITS;
      // The CPU limit is per thread: a process with N busy worker or stack threads may use N + 1 cores.
      rec.rig = () => assessRig(rigFigures(rig.figures(), metrics), perThread(limits, (rec.workers?.().threads.length ?? 0) + (stack.threads ?? 0)), rig.series());
      await loadPhase({ plan, ctx, data, stack, events, errors, counter, reporters, signal, tasks, stop: (r) => this.stop(r), record: rec, drain, ...(req.segment ? { segment: req.segment } : {}), seed: req.seed, ...(req.workers ? { workers: req.workers } : {}), ...(req.scenario.moduleUrl ? { moduleUrl: req.scenario.moduleUrl } : {}) });

      // A stack whose deliveries mailstorm cannot see has no ledger to reconcile: every
      // message would read as lost. Its ledger gates are marked not evaluated instead.
      if (deliveriesUnseen === undefined) {
        const summary = ledger.reconcile({ final: !signal.aborted, now: clock.now() });
        rec.ledger = summary;
        recordLedger(metrics, summary, ledger.outstanding());
      }
      if (!signal.aborted) await untilAborted(Promise.resolve(def.finish?.({ ...ctx, data })), signal);
    } catch (error) {
      if (!(signal.aborted && error === signal.reason)) {
        if (error instanceof InputError) inputError = true;
        const kind = error instanceof InputError ? 'input error' : error instanceof StackError ? 'stack error' : 'error';
        rec.harnessError = `${kind}: ${errorMessage(error)}`;
        this.stop(rec.harnessError);
      }
    } finally {
      clearTimeout(watchdog);
      req.signal?.removeEventListener('abort', onExternal);
      rec.errors = errors.list();
      rec.gates = evaluateThresholds(plan.thresholds, metrics, { final: true });
      if (deliveriesUnseen !== undefined) rec.gates = markUnseen(rec.gates, isLedgerMetric, deliveriesUnseen);
      for (const [metric, why] of unmeasured) rec.gates = markUnseen(rec.gates, (m) => m === metric, why);
      for (const f of await tasks.teardown()) {
        events.record('teardown_failed', { task: f.task, message: f.message });
        warn(`teardown of ${f.task} failed: ${f.message}`);
      }
    }
    await checkpoints.stop();
    // The stack's own logs (container logs) hold account names too.
    if (req.redact) await redactFiles(path.join(req.outDir, 'logs'), this.#redact);
    const result = buildResult(rec, clock.now(), this.#interruptedBy !== undefined);
    await reporters.onEnd(result, req.outDir);
    const exitCode = inputError ? EXIT.input : exitCodeFor(result.verdict, this.#interruptedBy);
    return { result: this.#written(result), exitCode, outDir: req.outDir };
  }
}
