// The run orchestrator against a stack built here (it starts nothing), with flows that do
// no network I/O: order of tasks, teardown on every path, reports in every case.
import test from 'ava';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { ScenarioRun } from '../../harness/run/run.ts';
import { defineScenario, type ScenarioDefinition } from '../../harness/scenario/types.ts';
import { StackError, InputError } from '../../engine/errors.ts';
import type { Stack, StackProvider } from '../../stack/types.ts';
import type { Reporter } from '../../harness/reporter.ts';
import type { RunResult } from '../../harness/result-schema.ts';
import { resultJsonReporter } from '../../reports/result-json.ts';

function inertProvider(log: string[], options: { failStart?: boolean } = {}): StackProvider {
  return {
    kind: 'embedded',
    async start() {
      if (options.failStart) throw new StackError('port 25 is taken');
      log.push('stack start');
      const hp = { host: '127.0.0.1', port: 9 };
      const stack: Stack = {
        description: { kind: 'embedded', components: [{ name: 'nothing' }], notes: [] },
        endpoints: { smtp: hp, submission: hp, imap: hp, activesync: 'http://127.0.0.1:9', toxiproxy: 'http://127.0.0.1:9', proxies: {}, extra: {} },
        queueDepth: () => undefined,
        stop: async () => { log.push('stack stop'); },
        [Symbol.asyncDispose]: async () => {},
      };
      return stack;
    },
  };
}

function scenario(log: string[], flow: () => Promise<void>, thresholds: Record<string, string[]> = { steps: ['count>0'] }): ScenarioDefinition {
  return defineScenario({
    name: 'orchestrator-fixture',
    description: 'd',
    incident: 'i',
    params: z.object({ iterations: z.number().int().min(1).default(3) }),
    options: (p) => ({ scenarios: { step: { executor: 'shared-iterations', vus: 1, iterations: p.iterations } }, thresholds }),
    drain: () => ({ timeout: '200ms' }),
    async setup() { log.push('setup'); return 'data'; },
    flows: { step: async (ctx) => { ctx.metrics.count('steps'); await flow(); } },
    async finish(ctx) { log.push(`finish ${String(ctx.data)}`); ctx.figure('answer', { value: 42 }); },
    async teardown() { log.push('teardown'); },
  }) as unknown as ScenarioDefinition;
}

async function run(t: import('ava').ExecutionContext, def: ScenarioDefinition, provider: StackProvider, extra: { reporters?: Reporter[]; signal?: AbortSignal; marginMs?: number } = {}) {
  const outDir = await mkdtemp(path.join(os.tmpdir(), 'mailstorm-run-'));
  t.teardown(() => rm(outDir, { recursive: true, force: true }));
  const r = new ScenarioRun({
    scenario: { definition: def, file: 'test' }, overrides: {}, seed: 3, stackKind: 'embedded',
    provider: async () => provider, runId: 'test-run', outDir, command: 'mailstorm run test', version: '0.0.0',
    reporters: extra.reporters ?? [resultJsonReporter()], ...(extra.signal ? { signal: extra.signal } : {}),
    ...(extra.marginMs !== undefined ? { marginMs: extra.marginMs } : {}),
  });
  const outcome = await r.execute();
  const written = JSON.parse(await readFile(path.join(outDir, 'result.json'), 'utf8')) as RunResult;
  return { outcome, written };
}

test('tasks run in order and teardown runs in reverse', async (t) => {
  const log: string[] = [];
  const { outcome, written } = await run(t, scenario(log, async () => {}), inertProvider(log));
  t.deepEqual(log, ['stack start', 'setup', 'finish data', 'teardown', 'stack stop']);
  t.is(outcome.exitCode, 0);
  t.like(written, { complete: true, verdict: 'pass', seed: 3, figures: { answer: { value: 42 } } });
  t.like(written.ledger, { expected: 0, lost: 0, final: true });
  t.true(written.metrics.some((m) => m.name === 'mail_lost'));
  t.is(written.gates[0]?.observed, 3);
});

test('a stack that fails to start gives exit 3 and still a result.json', async (t) => {
  const log: string[] = [];
  const { outcome, written } = await run(t, scenario(log, async () => {}), inertProvider(log, { failStart: true }));
  t.is(outcome.exitCode, 3);
  t.like(written, { complete: false, verdict: 'error' });
  t.regex(written.reason, /stack error: port 25 is taken/);
  t.deepEqual(log, []);
});

test('an abortOnFail gate stops the run, teardown still runs, exit 1', async (t) => {
  const log: string[] = [];
  const def = scenario(log, () => new Promise((r) => setTimeout(r, 300)), {});
  const options = def.options;
  def.options = (p) => ({
    ...options(p),
    scenarios: { step: { executor: 'constant-vus', vus: 1, duration: '20s', gracefulStop: '1s' } },
    thresholds: { steps: [{ threshold: 'count<2', abortOnFail: true }] },
  });
  const { outcome, written } = await run(t, def, inertProvider(log));
  t.is(outcome.exitCode, 1);
  t.like(written, { complete: false, verdict: 'fail' });
  t.regex(written.reason, /aborted: gate steps count<2/);
  t.deepEqual(log.slice(-2), ['teardown', 'stack stop']);
});

test('an interrupt stops the run with complete:false and exit 130', async (t) => {
  const log: string[] = [];
  const interrupt = new AbortController();
  const def = scenario(log, async () => {
    interrupt.abort('SIGINT');
    await new Promise((r) => setTimeout(r, 20));
  });
  const { outcome, written } = await run(t, def, inertProvider(log), { signal: interrupt.signal });
  t.is(outcome.exitCode, 130);
  t.like(written, { complete: false, verdict: 'error', reason: 'interrupted by SIGINT' });
  t.deepEqual(log.slice(-2), ['teardown', 'stack stop']);
});

test('a reporter that throws does not stop result.json', async (t) => {
  const log: string[] = [];
  const broken: Reporter = { onBegin() {}, onEnd() { throw new Error('disk full'); } };
  const { outcome, written } = await run(t, scenario(log, async () => {}), inertProvider(log), { reporters: [broken, resultJsonReporter()] });
  t.is(outcome.exitCode, 0);
  t.is(written.verdict, 'pass');
});

test('bad options are an InputError before anything starts', (t) => {
  const log: string[] = [];
  const def = scenario(log, async () => {});
  def.options = () => ({ scenarios: { nope: { executor: 'constant-vus', vus: 1, duration: '1s' } } });
  t.throws(() => new ScenarioRun({
    scenario: { definition: def, file: 'test' }, overrides: {}, seed: 1, stackKind: 'embedded',
    provider: async () => inertProvider(log), runId: 'x', outDir: '/nonexistent', command: '', version: '0', reporters: [],
  }), { instanceOf: InputError });
  t.deepEqual(log, []);
});

test('a run past its time limit is stopped, torn down and reported', async (t) => {
  const log: string[] = [];
  const def = scenario(log, async () => {});
  def.options = () => ({ scenarios: { step: { executor: 'shared-iterations', vus: 1, iterations: 1, maxDuration: '200ms', gracefulStop: '0s' } } });
  def.drain = () => ({ timeout: '0s' });
  def.setup = () => new Promise(() => {}); // never finishes
  const { outcome, written } = await run(t, def, inertProvider(log), { marginMs: 300 });
  t.is(outcome.exitCode, 3);
  t.like(written, { complete: false, verdict: 'error' });
  t.regex(written.reason, /time limit/);
  t.deepEqual(log, ['stack start', 'stack stop']);
});
