import test from 'ava';
import { InputError } from '../../engine/errors.ts';
import { plannedDurationMs, validateOptions } from '../../engine/options/validate.ts';

const flows = ['storm', 'background', 'login'];

function errorOf(t: import('ava').ExecutionContext, options: unknown): string {
  return t.throws(() => validateOptions(options, flows), { instanceOf: InputError })!.message;
}

test('accepts every executor with k6 fields', (t) => {
  const options = {
    scenarios: {
      storm: { executor: 'constant-arrival-rate', rate: 200, timeUnit: '1s', duration: '1m', preAllocatedVUs: 10, maxVUs: 50 },
      ramp: { executor: 'ramping-arrival-rate', exec: 'storm', startRate: 0, stages: [{ target: 10, duration: '30s' }], preAllocatedVUs: 5 },
      background: { executor: 'constant-vus', vus: 3, duration: '2m', startTime: '10s', gracefulStop: '5s', tags: { kind: 'bg' } },
      rvus: { executor: 'ramping-vus', exec: 'login', startVUs: 0, stages: [{ target: 5, duration: '10s' }, { target: 0, duration: '0s' }], gracefulRampDown: '1s' },
      login: { executor: 'per-vu-iterations', vus: 2, iterations: 10, maxDuration: '1m' },
      shared: { executor: 'shared-iterations', exec: 'login', vus: 2, iterations: 10 },
    },
    thresholds: { 'delivery_latency{flow:background}': ['p(99)<30000'], mail_lost: [{ threshold: 'count==0', abortOnFail: true }] },
  };
  const validated = validateOptions(options, flows);
  t.is(Object.keys(validated.scenarios).length, 6);
  t.deepEqual(validated.thresholds, options.thresholds);
});

test('errors name the path and what is allowed', (t) => {
  const car = { executor: 'constant-arrival-rate', rate: 10, duration: '10s', preAllocatedVUs: 2 };
  t.is(errorOf(t, { scenarios: { storm: { ...car, rate: -3 } } }), 'scenarios.storm.rate: expected a positive number');
  t.is(errorOf(t, { scenarios: { storm: { ...car, rate: 'fast' } } }), 'scenarios.storm.rate: expected a positive number');
  t.is(errorOf(t, { scenarios: { storm: { ...car, preAllocatedVUs: 1.5 } } }), 'scenarios.storm.preAllocatedVUs: expected a positive integer');
  t.is(errorOf(t, { scenarios: { storm: { ...car, duration: undefined } } }), 'scenarios.storm.duration: required');
  t.regex(errorOf(t, { scenarios: { storm: { ...car, duration: '10 parsecs' } } }), /^scenarios\.storm\.duration: "10 parsecs" is not a duration/);
  t.regex(errorOf(t, { scenarios: { storm: { ...car, duration: '0s' } } }), /^scenarios\.storm\.duration: expected a duration > 0/);
  t.is(errorOf(t, { scenarios: { storm: { ...car, rps: 3 } } }), 'scenarios.storm.rps: unknown field');
  t.regex(errorOf(t, { scenarios: { storm: { ...car, executor: 'externally-controlled' } } }),
    /^scenarios\.storm\.executor: unknown executor "externally-controlled" \(allowed: constant-arrival-rate, .*shared-iterations\)/);
  t.regex(errorOf(t, { scenarios: { storm: { rate: 1 } } }), /^scenarios\.storm\.executor: required/);
  t.is(errorOf(t, { scenarios: { storm: { ...car, maxVUs: 1 } } }), 'scenarios.storm.maxVUs: must be >= preAllocatedVUs (2), got 1');
  t.regex(errorOf(t, { scenarios: { storm: { ...car, exec: 'nope' } } }), /^scenarios\.storm\.exec: no flow named "nope" \(flows: storm, background, login\)/);
  t.regex(errorOf(t, { scenarios: { other: car } }), /^scenarios\.other\.exec: required, because no flow is named "other"/);
  t.is(errorOf(t, { scenarios: { r: { executor: 'ramping-vus', exec: 'login', stages: [{ target: -1, duration: '1s' }] } } }),
    'scenarios.r.stages.0.target: expected an integer >= 0');
  t.is(errorOf(t, { scenarios: { r: { executor: 'ramping-vus', exec: 'login', stages: [] } } }), 'scenarios.r.stages: expected at least one stage');
  t.is(errorOf(t, { scenarios: {} }), 'scenarios: expected an object with at least one scenario');
  t.is(errorOf(t, { scenarios: { storm: car }, vus: 10 }), 'options.vus: unknown field (allowed: scenarios, thresholds)');
  t.regex(errorOf(t, { scenarios: { storm: car }, thresholds: { lat: ['p99<1'] } }), /^thresholds\.lat\[0\]: "p99<1"/);
});

test('plannedDurationMs: startTime + duration + gracefulStop, maxDuration default for iteration executors', (t) => {
  t.is(plannedDurationMs({ scenarios: {
    a: { executor: 'constant-vus', vus: 1, duration: '1m', startTime: '30s', gracefulStop: '10s' },
    b: { executor: 'ramping-arrival-rate', preAllocatedVUs: 1, stages: [{ target: 1, duration: '1m' }, { target: 5, duration: '1m' }] },
  } }), 150_000);
  t.is(plannedDurationMs({ scenarios: { c: { executor: 'shared-iterations', vus: 1, iterations: 5 } } }), 600_000 + 30_000);
});
