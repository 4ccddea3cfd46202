// A run with --workers in this process: the executors' work is split between worker threads
// by execution segments, every iteration is counted once on the main thread, each worker's
// share and CPU are in result.json's rig, and no worker thread outlives the run.
// Serial: the thread counts would otherwise include another test's workers.
import test from 'ava';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ScenarioRun } from '../../harness/run/run.ts';
import { loadScenario } from '../../harness/scenario/load.ts';
import { placeScenarios } from '../../harness/workers/split.ts';
import { liveWorkerThreads } from '../../harness/workers/pool.ts';
import type { Stack, StackProvider } from '../../stack/types.ts';
import type { RunResult } from '../../harness/result-schema.ts';
import { resultJsonReporter } from '../../reports/result-json.ts';
import { builtIns } from '../../scenarios/index.ts';

const FIXTURE = fileURLToPath(new URL('../cli/fixtures/workers-scenario.ts', import.meta.url));

/** A stack that starts nothing: the fixture's flow does no network I/O. */
const inert: StackProvider = {
  kind: 'embedded',
  async start() {
    const hp = { host: '127.0.0.1', port: 9 };
    const stack: Stack = {
      description: { kind: 'embedded', components: [{ name: 'nothing' }], notes: [] },
      endpoints: { smtp: hp, submission: hp, imap: hp, activesync: 'http://127.0.0.1:9', toxiproxy: 'http://127.0.0.1:9', proxies: {}, extra: {} },
      queueDepth: () => undefined,
      stop: async () => {},
      [Symbol.asyncDispose]: async () => {},
    };
    return stack;
  },
};

/** OS threads of this process (Linux): a worker thread is one. */
async function osThreads(): Promise<number> {
  const status = await readFile('/proc/self/status', 'utf8');
  return Number(/^Threads:\s+(\d+)/m.exec(status)?.[1]);
}

function osThreadsNow(): number {
  return Number(/^Threads:\s+(\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]);
}

/** Threads alive when the workers had loaded the scenario (the run's 'workers' event). */
const during = { live: -1, os: -1 };

async function run(t: import('ava').ExecutionContext, workers: number, set: string[] = []): Promise<RunResult> {
  const outDir = await mkdtemp(path.join(os.tmpdir(), 'mailstorm-workers-'));
  t.teardown(() => rm(outDir, { recursive: true, force: true }));
  const scenario = await loadScenario(FIXTURE, builtIns);
  const r = new ScenarioRun({
    scenario, overrides: { set }, seed: 4, stackKind: 'embedded', provider: async () => inert, runId: 'workers-run', outDir,
    command: 'mailstorm run workers', version: '0.0.0', reporters: [resultJsonReporter(), { onBegin: () => {}, onEnd: () => {}, onEvent: (e) => { if (e.type === 'workers') Object.assign(during, { live: liveWorkerThreads(), os: osThreadsNow() }); } }], workers,
  });
  await r.execute();
  return JSON.parse(await readFile(path.join(outDir, 'result.json'), 'utf8')) as RunResult;
}

const count = (r: RunResult, name: string) => r.metrics.filter((m) => m.name === name).reduce((sum, m) => sum + (m.values['count'] ?? 0), 0);

test.serial('--workers 2: the segments run every iteration once between them, and no thread outlives the run', async (t) => {
  await osThreads(); // the first file read starts libuv's pool threads, so count after it
  const before = await osThreads();
  const result = await run(t, 2, ['iterations=60']);
  t.is(during.live, 2, 'two worker threads ran');
  t.true(during.os >= before + 2, `${during.os} OS threads during the run, ${before} before`);
  t.is(liveWorkerThreads(), 0, 'every worker thread exited');
  t.true((await osThreads()) <= before, 'no OS thread left behind');
  t.is(count(result, 'fixture_work'), 60, 'each of the 60 shared iterations ran exactly once');
  t.is(count(result, 'iterations'), 60);
  const threads = result.rig?.workers?.threads ?? [];
  t.deepEqual(threads.map((w) => w.segment), ['0:1/2', '1/2:1']);
  t.is(threads.reduce((sum, w) => sum + w.iterations, 0), 60, 'the workers started all 60');
  for (const w of threads) {
    t.true(w.iterations > 0, `segment ${w.segment} did some of the work`);
    t.true(w.cpuShare > 0 && w.cpuShare <= 1, `segment ${w.segment} CPU share ${w.cpuShare}`);
    t.is(w.crashed, undefined);
  }
  t.deepEqual(result.rig?.workers?.mainThread, []);
  // The trend crossed threads as histograms: its count and extremes are the union's.
  const ms = result.metrics.find((m) => m.name === 'fixture_ms');
  t.like(ms?.values, { count: 60, min: 0, max: 59 });
  t.is(result.errors.length, 0);
});

test.serial('iteration errors in worker threads are counted once each on the main thread', async (t) => {
  const result = await run(t, 2, ['iterations=30', 'throwEvery=3']);
  t.deepEqual(result.errors.map((e) => [e.kind, e.count]), [['TypeError', 10]]);
  t.regex(result.errors[0]?.sample ?? '', /iteration \d+ fails on purpose/);
  const failed = result.metrics.filter((m) => m.name === 'iteration_failed').reduce((sum, m) => sum + (m.values['passes'] ?? 0), 0);
  t.is(failed, 10, 'iteration_failed counts the 10 (a pass of this rate is a failed iteration)');
  t.is(count(result, 'iterations'), 30);
});

test.serial('--workers 1 runs everything on the main thread, as before', async (t) => {
  const result = await run(t, 1, ['iterations=20']);
  t.is(count(result, 'fixture_work'), 20);
  t.is(result.rig?.workers, undefined);
});

test('a scenario whose flow is not in workerFlows stays on the main thread, and says why', (t) => {
  const def = { workerFlows: ['fast'], flows: {} } as never;
  const placed = placeScenarios(def, { a: { executor: 'shared-iterations', vus: 1, iterations: 1, exec: 'fast' }, b: { executor: 'shared-iterations', vus: 1, iterations: 1 } });
  t.deepEqual(Object.keys(placed.worker), ['a']);
  t.deepEqual(Object.keys(placed.main), ['b']);
  t.deepEqual(placed.mainThread, [{ scenario: 'b', why: 'flow "b" is not in the scenario\'s workerFlows' }]);
  const blocked = placeScenarios(def, { a: { executor: 'shared-iterations', vus: 1, iterations: 1, exec: 'fast' } }, 'time is compressed');
  t.deepEqual(blocked.mainThread, [{ scenario: 'a', why: 'time is compressed' }]);
});
