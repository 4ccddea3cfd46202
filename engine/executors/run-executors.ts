// Entry point: runs every scenario of options.scenarios with its executor, honouring
// startTime and gracefulStop, and samples the `vus` gauge once a second.
import { parseDuration } from '../duration.ts';
import type { ExecutorConfig, Options } from '../options/types.ts';
import { DEFAULT_GRACEFUL_STOP_MS } from '../options/validate.ts';
import { runConstantArrivalRate } from './constant-arrival-rate.ts';
import { runConstantVus } from './constant-vus.ts';
import { runPerVuIterations } from './per-vu-iterations.ts';
import { runRampingArrivalRate } from './ramping-arrival-rate.ts';
import { runRampingVus } from './ramping-vus.ts';
import { FULL_TEST } from './execution-segment.ts';
import { ScenarioRuntime } from './scenario-runtime.ts';
import { runSharedIterations } from './shared-iterations.ts';
import type { ExecutionHandle, ExecutorDeps } from './types.ts';
import { declareAll } from '../metrics/declare.ts';
import { EXECUTOR_METRICS } from './metric-declarations.ts';

function runBody(config: ExecutorConfig, rt: ScenarioRuntime): Promise<void> {
  switch (config.executor) {
    case 'constant-arrival-rate': return runConstantArrivalRate(config, rt);
    case 'ramping-arrival-rate': return runRampingArrivalRate(config, rt);
    case 'constant-vus': return runConstantVus(config, rt);
    case 'ramping-vus': return runRampingVus(config, rt);
    case 'per-vu-iterations': return runPerVuIterations(config, rt);
    case 'shared-iterations': return runSharedIterations(config, rt);
  }
}

async function runScenario(rt: ScenarioRuntime): Promise<void> {
  const { config } = rt;
  const startTime = config.startTime === undefined ? 0 : parseDuration(config.startTime);
  // Until the scenario's origin (run start + startTime), less whatever setting up took.
  if (startTime > 0 && !(await rt.sleep(Math.max(0, rt.origin - rt.deps.clock.now())))) return;
  if (!rt.ending) await runBody(config, rt);
  rt.endStarts();
  if (rt.inFlight > 0) {
    // Iterations still running get gracefulStop to finish, then are interrupted.
    const graceMs = config.gracefulStop === undefined ? DEFAULT_GRACEFUL_STOP_MS : parseDuration(config.gracefulStop);
    const cancel = new AbortController();
    const expired = await Promise.race([rt.idle().then(() => false), rt.sleep(graceMs, cancel.signal)]);
    cancel.abort();
    if (expired) rt.hardStop('gracefulStop');
  }
  await rt.loopsDone();
}

export function runExecutors(scenarios: Options['scenarios'], deps: ExecutorDeps): ExecutionHandle {
  // Every scenario's schedule counts from here (plus its startTime), before any setting up.
  const runStart = deps.clock.now();
  declareAll(deps.metrics, EXECUTOR_METRICS);
  const segment = deps.segment ?? FULL_TEST;
  // The k-th VU this run creates is the k-th VU index its segment owns, so VU ids are
  // unique across segments (k6's exec.vu.idInTest).
  let created = 0;
  const newVu = () => segment.globalIndex(created++) + 1;
  const runtimes = Object.entries(scenarios).map(([name, config]) => new ScenarioRuntime(name, config, deps, newVu, runStart));
  const activeVUs = () => runtimes.reduce((sum, rt) => sum + rt.activeVUs, 0);
  const stop = (reason = 'stopped') => {
    for (const rt of runtimes) rt.hardStop(reason);
  };
  const onAbort = () => stop(deps.signal.reason instanceof Error ? deps.signal.reason.message : 'aborted');
  if (deps.signal.aborted) onAbort();
  else deps.signal.addEventListener('abort', onAbort, { once: true });

  const sampling = new AbortController();
  const sampleVus = async () => {
    for (;;) {
      deps.metrics.gauge('vus', activeVUs());
      try {
        await deps.clock.sleep(1000, sampling.signal);
      } catch {
        return;
      }
    }
  };
  void sampleVus();

  const done = Promise.all(runtimes.map((rt) => runScenario(rt).catch(() => rt.hardStop('executor failed')))).then(() => {
    sampling.abort();
    deps.signal.removeEventListener('abort', onAbort);
    deps.metrics.gauge('vus', 0);
  });
  return { done, activeVUs, stop };
}
