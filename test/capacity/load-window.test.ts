// A step's figures come from its load window, which on docker starts seconds after the run
// (the containers start first): throughput and queue read from where the load began, and
// the resource notes say what the containers, the harness and the machine used there.
import test from 'ava';
import { measureStep, windowRate } from '../../capacity/measure-step.ts';
import { loadWindow } from '../../capacity/load-window.ts';
import { stepResources } from '../../capacity/step-resources.ts';
import type { RunResult } from '../../harness/result-schema.ts';
import type { SeriesLine } from '../../engine/metrics/types.ts';

const LOAD_SECONDS = 40;
const STARTED_MS = 9_400; // measured: a docker stack took 9 s to start before user-day's load

function line(metric: string, kind: SeriesLine['kind'], tags: Record<string, string>, from: number, to: number, value: (t: number) => number): SeriesLine {
  const points = [];
  for (let t = from; t < to; t++) points.push({ t, value: value(t) });
  return { metric, kind, tags, points };
}

function result(series: SeriesLine[], extra: Partial<RunResult> = {}): RunResult {
  return {
    series, gates: [], errors: [], metrics: [], verdict: 'pass', complete: true, reason: 'completed',
    stack: { kind: 'docker', components: [], notes: [] },
    rig: { limits: {}, figures: { harnessCpuShare: 0.3 }, series: [], overloaded: false, breaches: [] },
    ...extra,
  } as unknown as RunResult;
}

// 10 tasks a second for exactly the 40 s of load, nothing during the stack's start.
const tasks = line('user_day.tasks', 'counter', { outcome: 'achieved' }, 9, 50, (t) => (t >= 10 && t < 49 ? 10 : 4));

test('the load window starts where the load began, to the whole second', (t) => {
  t.deepEqual(loadWindow(LOAD_SECONDS, STARTED_MS), { from: 10, to: 49 });
  t.deepEqual(loadWindow(LOAD_SECONDS), { from: 1, to: 40 }, 'without a start (older files, the embedded stack at 0 s) as before');
  t.is(windowRate([tasks], 'user_day.tasks{outcome:achieved}', LOAD_SECONDS, STARTED_MS), 10);
});

test('a docker step that kept up is healthy, not saturated by the seconds its stack took to start', (t) => {
  const input = { level: 10, offered: 10, loadSeconds: LOAD_SECONDS, throughput: 'user_day.tasks{outcome:achieved}', latency: 'user_day.task_time', slo: 'p(99)<2000', dir: 'steps/01' };
  const withStart = result([tasks], { loadStartedMs: STARTED_MS, gates: [{ metric: 'user_day.task_time', expression: 'p(99)<2000', ok: true, observed: 300 } as RunResult['gates'][number]] });
  const step = measureStep(withStart, input);
  t.is(step.achieved, 10);
  t.is(step.assessment, 'healthy');
  // Read from the run's start instead, the same step looked like 77 % of offered: a false knee.
  const fromRunStart = measureStep({ ...withStart, loadStartedMs: undefined } as unknown as RunResult, input);
  t.is(fromRunStart.assessment, 'saturated');
  t.true(fromRunStart.achieved < 8, `${fromRunStart.achieved}`);
});

test('resource notes: container CPU and memory means over the load window, and the machine saturating', (t) => {
  const series = [
    line('container.cpu_cores', 'gauge', { container: 'mta' }, 0, 50, (t) => (t < 10 ? 0.05 : 0.8)),
    line('container.memory_bytes', 'gauge', { container: 'mta' }, 0, 50, (t) => (t < 30 ? 40 : 60) * 2 ** 20),
    line('host.cpu_busy_cores', 'gauge', {}, 0, 50, (t) => (t < 10 ? 0.5 : 1.9)),
    line('host.cores', 'gauge', {}, 0, 50, () => 2),
  ];
  const busy = stepResources(result(series, { loadStartedMs: STARTED_MS }), LOAD_SECONDS)!;
  t.deepEqual(busy.containers, [{ name: 'mta', cpuCoresMean: 0.8, cpuCoresMax: 0.8, memoryMbMax: 60 }]);
  t.is(busy.cores, 2);
  t.is(busy.hostBusyCoresMean, 1.9);
  t.is(busy.harnessCores, 0.3);
  t.is(busy.otherCores, 0.8);
  t.is(busy.saturated, 'machine-cpu');
  t.regex(busy.note, /^the machine's CPU saturated: machine 1\.9 of 2 cores busy \(other processes 0\.8, docker's own daemons included\); mta 0\.8 cores \(max 0\.8\), 60 MB; harness 0\.3 cores$/);

  const quiet = stepResources(result(series.map((s) => (s.metric === 'host.cpu_busy_cores' ? line(s.metric, 'gauge', {}, 0, 50, () => 1.2) : s)), { loadStartedMs: STARTED_MS }), LOAD_SECONDS)!;
  t.is(quiet.saturated, null);
  t.regex(quiet.note, /^no CPU limit reached: machine 1\.2 of 2 cores busy/);
  t.is(stepResources(result([tasks]), LOAD_SECONDS), null, 'a stack that samples no containers has no resource notes');
});
