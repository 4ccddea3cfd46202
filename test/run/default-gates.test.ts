// Default gates: every scenario gets `iterations count>0` and a per-flow `iteration_failed`
// gate unless it overrides or switches them off; the smoke rig check really fails when the
// relay cuts its sends (a limit_data toxic on the relay's proxy).
import test from 'ava';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { ScenarioRun } from '../../harness/run/run.ts';
import { prepareRun } from '../../harness/run/prepare.ts';
import { defineScenario, type ScenarioDefinition } from '../../harness/scenario/types.ts';
import { InputError } from '../../engine/errors.ts';
import { embeddedProvider } from '../../stack/embedded/index.ts';
import { resultJsonReporter } from '../../reports/result-json.ts';
import type { RunResult } from '../../harness/result-schema.ts';
import smoke from '../../scenarios/smoke.ts';
import { DEFAULT_RIG_LIMITS } from '../../harness/rig/limits.ts';
import type { RigLimits } from '../../harness/rig/types.ts';

const UNLIMITED_RIG = Object.fromEntries(Object.keys(DEFAULT_RIG_LIMITS).map((k) => [k, Number.POSITIVE_INFINITY])) as unknown as RigLimits;

function fixture(extra: Partial<ScenarioDefinition> = {}): ScenarioDefinition {
  return defineScenario({
    name: 'default-gates',
    description: 'd',
    incident: 'none',
    params: z.object({}),
    options: () => ({
      scenarios: {
        a: { executor: 'shared-iterations', vus: 1, iterations: 1 },
        b: { executor: 'shared-iterations', vus: 1, iterations: 1, exec: 'a' },
        c: { executor: 'shared-iterations', vus: 1, iterations: 1 },
      },
      thresholds: { 'iteration_failed{flow:c}': ['rate<0.5'] },
    }),
    flows: { a: async () => {}, c: async () => {} },
    ...extra,
  } as ScenarioDefinition);
}

const gates = (def: ScenarioDefinition) => prepareRun(def, {}).thresholds.map((t) => `${t.metric} ${t.expression}`);

test('every scenario gets iterations count>0 and iteration_failed rate<0.05 per flow; its own gate on a key wins', (t) => {
  t.deepEqual(gates(fixture()), ['iteration_failed{flow:c} rate<0.5', 'iterations count>0', 'iteration_failed{flow:a} rate<0.05']);
});

test('defaultGates overrides an expression, switches one off, or switches all off', (t) => {
  t.deepEqual(gates(fixture({ defaultGates: { iterationErrors: 'rate<0.2', iterations: false } })), ['iteration_failed{flow:c} rate<0.5', 'iteration_failed{flow:a} rate<0.2']);
  t.deepEqual(gates(fixture({ defaultGates: () => ({ iterationErrors: false }) })), ['iteration_failed{flow:c} rate<0.5', 'iterations count>0']);
  t.deepEqual(gates(fixture({ defaultGates: false })), ['iteration_failed{flow:c} rate<0.5']);
});

test('a bad defaultGates names the field', (t) => {
  t.throws(() => gates(fixture({ defaultGates: { iterationErors: 'rate<0.1' } as never })), { instanceOf: InputError, message: /defaultGates\.iterationErors: unknown field/ });
  t.throws(() => gates(fixture({ defaultGates: { iterations: 5 } as never })), { instanceOf: InputError, message: /defaultGates\.iterations: expected a threshold expression/ });
  t.throws(() => gates(fixture({ defaultGates: { iterations: 'count>>0' } })), { instanceOf: InputError, message: /count>>0/ });
});

async function runSmoke(t: import('ava').ExecutionContext, def: ScenarioDefinition, set: string[]) {
  const outDir = await mkdtemp(path.join(os.tmpdir(), 'mailstorm-default-gates-'));
  t.teardown(() => rm(outDir, { recursive: true, force: true }));
  const run = new ScenarioRun({
    scenario: { definition: def, file: 'test' }, overrides: { set }, seed: 9, stackKind: 'embedded',
    provider: async () => embeddedProvider, runId: 'default-gates', outDir, command: 'mailstorm run smoke', version: '0.0.0', reporters: [resultJsonReporter()],
    rigLimits: UNLIMITED_RIG, // the stack is judged here, whatever else the test machine is doing
  });
  const outcome = await run.execute();
  return { outcome, result: JSON.parse(await readFile(path.join(outDir, 'result.json'), 'utf8')) as RunResult };
}

test('smoke fails when the relay cuts some of its sends, though every accepted message arrived (limit_data upstream)', async (t) => {
  // 4000 bytes per connection carry the first 2 KiB message and cut the second one short:
  // about every other send fails, and the ledger gates alone would still pass.
  const cut = { ...smoke, chaos: () => [{ kind: 'add', at: 0, toxic: { type: 'limit_data', proxy: 'smtp', stream: 'upstream', attributes: { bytes: 4000 } } }] } as unknown as ScenarioDefinition;
  const { outcome, result } = await runSmoke(t, cut, ['duration=3s', 'rate=5']);
  const gate = (metric: string) => result.gates.find((g) => g.metric === metric);
  const total = (name: string) => result.metrics.filter((m) => m.name === name).reduce((a, m) => a + (m.values['count'] ?? 0), 0);
  const iterations = total('iterations');
  const failed = total('iteration_errors');
  t.true(failed > 0 && failed < iterations, `${failed} of ${iterations} failed`);
  t.like(gate('iterations'), { ok: true, observed: iterations });
  t.like(gate('iteration_failed{flow:mail}'), { ok: false, observed: failed / iterations });
  t.like(gate('mail_lost'), { ok: true, observed: 0 });
  t.like(gate('mail_delivered'), { ok: true, observed: iterations - failed });
  t.is(result.verdict, 'fail');
  t.is(outcome.exitCode, 1);
});

test('a scenario with a fault timeline also gets mail_delivered_after_failure count==0, which it can switch off', (t) => {
  const chaos = () => [{ kind: 'add', at: 0, toxic: { type: 'latency', proxy: 'smtp', attributes: { latency: 5 } } }];
  t.true(gates(fixture({ chaos } as never)).includes('mail_delivered_after_failure count==0'));
  t.false(gates(fixture()).some((g) => g.startsWith('mail_delivered_after_failure')));
  t.false(gates(fixture({ chaos, defaultGates: { deliveredAfterFailure: false } } as never)).some((g) => g.startsWith('mail_delivered_after_failure')));
});
