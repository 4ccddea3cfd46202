// The load plan from options alone: executor counts as the arrival schedules run them, every
// shipped scenario's flows declared, an undeclared flow named and refused by the caps.
import test from 'ava';
import { z } from 'zod';
import { executorLoad } from '../../engine/executors/executor-load.ts';
import { prepareRun } from '../../harness/run/prepare.ts';
import { planLoad } from '../../harness/plan/load-plan.ts';
import { capBreaches, enforceCaps } from '../../harness/plan/caps.ts';
import { defineScenario } from '../../harness/scenario/types.ts';
import { InputError } from '../../engine/errors.ts';
import { parseRemoteConfig } from '../../stack/remote/config.ts';
import { loadAllBuiltIns } from '../../scenarios/index.ts';

test('executors say their iterations, peak rate and concurrency', (t) => {
  t.like(executorLoad({ executor: 'constant-arrival-rate', rate: 30, timeUnit: '1m', duration: '2m', preAllocatedVUs: 2, maxVUs: 7 }), { iterations: 60, peakIterationsPerSec: 0.5, peakConcurrency: 7, durationMs: 120_000 });
  // 0 -> 10/s over 2 s, then 10/s for 1 s: the rate integrates to 20; from a zero rate the
  // first is due at 1, so the 20th falls on the very end and does not start (as the executor runs it)
  t.like(executorLoad({ executor: 'ramping-arrival-rate', startRate: 0, timeUnit: '1s', stages: [{ target: 10, duration: '2s' }, { target: 10, duration: '1s' }], preAllocatedVUs: 3 }), { iterations: 19, peakIterationsPerSec: 10, peakConcurrency: 3 });
  t.like(executorLoad({ executor: 'shared-iterations', vus: 8, iterations: 5, startTime: '2s' }), { iterations: 5, peakIterationsPerSec: undefined, peakConcurrency: 5, startMs: 2000 });
  t.like(executorLoad({ executor: 'per-vu-iterations', vus: 3, iterations: 4 }), { iterations: 12, peakConcurrency: 3 });
  t.like(executorLoad({ executor: 'constant-vus', vus: 6, duration: '10s' }), { iterations: undefined, peakIterationsPerSec: undefined, peakConcurrency: 6 });
  t.like(executorLoad({ executor: 'ramping-vus', startVUs: 2, stages: [{ target: 9, duration: '5s' }, { target: 0, duration: '5s' }] }), { iterations: undefined, peakConcurrency: 9, durationMs: 10_000 });
});

test('every shipped scenario declares the load of every flow its executors run', async (t) => {
  const { scenarios, failures } = await loadAllBuiltIns();
  t.deepEqual(failures, []);
  t.true(scenarios.length >= 7);
  for (const s of scenarios) {
    const load = planLoad(prepareRun(s, {}));
    t.deepEqual(load.undeclared, [], s.name);
    t.true(load.endpoints.length > 0, s.name);
    t.true(load.endpoints.every((e) => e.peakConnections > 0), s.name);
  }
  const smoke = planLoad(prepareRun(scenarios.find((s) => s.name === 'smoke')!, { set: ['rate=20', 'duration=1m'] }));
  t.deepEqual(smoke.endpoints, [{ endpoint: 'smtp', peakMessagesPerSec: 20, peakRequestsPerSec: 0, peakConnections: 4, messages: 1200, bytes: 1200 * 2048, requests: 0, from: ['mail'] }]);
  t.is(smoke.durationMs, 60_000);
});

const config = parseRemoteConfig({ allow: ['127.0.0.1'], smtp: { host: '127.0.0.1', port: 25 }, imap: { host: '127.0.0.1', port: 143 }, caps: { imap: { rate: 100, connections: 50 } } });

test('a flow with no declaration is named, never guessed, and a remote run refuses it', (t) => {
  const bare = defineScenario({
    name: 'bare', description: 'd', incident: 'i', params: z.object({}),
    options: () => ({ scenarios: { a: { executor: 'constant-arrival-rate', rate: 1, duration: '1s', preAllocatedVUs: 1 }, b: { executor: 'constant-vus', vus: 2, duration: '1s' } } }),
    load: () => ({ b: { perIteration: { imap: { requests: 3, connections: 1 } } } }),
    flows: { a: async () => {}, b: async () => {} },
  });
  const plan = prepareRun(bare as never, {});
  const load = planLoad(plan);
  t.deepEqual(load.undeclared, ['a']);
  t.like(load.endpoints[0], { endpoint: 'imap', peakRequestsPerSec: null, requests: null, peakConnections: 2 });
  const breaches = capBreaches(load, config);
  t.is(breaches.length, 2);
  t.regex(breaches[0]!, /flow "a" declares no load, so the caps cannot be checked/);
  t.regex(breaches[1]!, /imap: the plan cannot bound the rate \(a closed-loop executor with no declared pace: b\), so caps\.imap\.rate is 100 cannot be checked/);
  t.throws(() => enforceCaps(plan, 'remote', config as Record<string, unknown>), { instanceOf: InputError, message: /nothing was sent/ });
  t.notThrows(() => enforceCaps(plan, 'embedded', undefined), 'only remote stacks have caps');
});

test('caps: executors running at once add up; one that starts after another ended does not', (t) => {
  const staged = defineScenario({
    name: 'staged', description: 'd', incident: 'i', params: z.object({}),
    options: () => ({ scenarios: {
      first: { executor: 'constant-arrival-rate', exec: 'mail', rate: 8, duration: '2s', preAllocatedVUs: 1, maxVUs: 6 },
      second: { executor: 'constant-arrival-rate', exec: 'mail', rate: 9, duration: '2s', startTime: '2s', preAllocatedVUs: 1, maxVUs: 6 },
    } }),
    load: () => ({ mail: { perIteration: { smtp: { messages: 1, connections: 1 } } } }),
    flows: { mail: async () => {} },
  });
  const load = planLoad(prepareRun(staged as never, {}));
  t.like(load.endpoints[0], { peakMessagesPerSec: 9, peakConnections: 6, messages: 34 });
  t.deepEqual(capBreaches(load, config), [], 'within the default 10/s and 10 connections');
  const overlapping = planLoad(prepareRun(defineScenario({ ...staged, options: () => ({ scenarios: { ...staged.options({}).scenarios, second: { ...staged.options({}).scenarios['second']!, startTime: '1s' } } }) }) as never, {}));
  t.like(overlapping.endpoints[0], { peakMessagesPerSec: 17, peakConnections: 12 });
  const breaches = capBreaches(overlapping, config);
  t.regex(breaches.join('\n'), /smtp: the plan peaks at 17 messages\+requests\/s and caps\.smtp\.rate is 10 \(the default\)/);
  t.regex(breaches.join('\n'), /smtp: the plan opens up to 12 connections and caps\.smtp\.connections is 10 \(the default\)/);
});
