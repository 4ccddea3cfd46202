// mailstorm export k6: every replay exports; script.ts type-checks against @types/k6,
// script.js parses as ES2017, options and thresholds round-trip, testrun.yaml has the
// k6-operator TestRun fields.
import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse as parseJs } from 'acorn';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { resolveParams } from '../../harness/scenario/params.ts';
import { builtIns } from '../../scenarios/index.ts';
import { exportK6 } from '../../k6/export.ts';
import { k6Threshold } from '../../k6/k6-options.ts';
import { segmentOf, segmentSequence } from '../../k6/segments.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

async function exported(name: string, extra: Partial<Parameters<typeof exportK6>[0]> = {}) {
  const definition = await builtIns.load(name);
  const { params } = resolveParams(definition, {});
  return { definition, params: params as Record<string, unknown>, out: await exportK6({ definition, params: params as Record<string, unknown>, ...extra }) };
}

/** Evaluates the bundle's `options` export without k6: the object literal is plain JSON. */
function optionsOf(js: string): unknown {
  const m = /export const options = (\{[\s\S]*?\n\});/.exec(js) ?? /const options = (\{[\s\S]*?\n\});/.exec(js);
  if (!m) throw new Error('no options in script');
  return JSON.parse(m[1]!);
}

// user-day's flows (the capacity workload) and cutover's (the front end's switch, rollback and
// sender retries live in mailstorm) have no k6 dialogue yet: they are refused by name.
const NOT_EXPORTED = new Set(['user-day', 'cutover']);
const EXPORTED = builtIns.names().filter((name) => !NOT_EXPORTED.has(name));

test('a scenario with no flow k6 can run is refused, naming every flow', async (t) => {
  const error = await t.throwsAsync(exported('user-day'));
  t.regex(error!.message, /user-day" has no flow that can run in k6: send: .*inbound: .*imap: .*ping: /);
});

for (const name of EXPORTED) {
  test(`${name}: exports, script.js parses as ES2017, options and thresholds round-trip`, async (t) => {
    const { definition, params, out } = await exported(name);
    t.notThrows(() => parseJs(out.files['script.js']!, { ecmaVersion: 2017, sourceType: 'module' }));
    const options = definition.options(params as never);
    const k6 = optionsOf(out.files['script.ts']!) as { scenarios: Record<string, unknown>; thresholds: Record<string, unknown> };
    const kept = Object.fromEntries(Object.entries(options.scenarios).filter(([, s]) => (s.exec ?? '') in out.plan.flows || Object.keys(out.plan.flows).includes(s.exec ?? '')));
    t.deepEqual(k6.scenarios, kept);
    t.deepEqual(k6.thresholds, Object.fromEntries(Object.entries(options.thresholds ?? {}).map(([m, l]) => [m, l.map(k6Threshold)])));
    t.deepEqual(out.plan.gates, options.thresholds ?? {});
    // every flow is either exported or named with why it stays
    const execs = new Set(Object.values(options.scenarios).map((s) => s.exec));
    t.deepEqual([...execs].sort(), [...Object.keys(out.plan.flows), ...Object.keys(out.plan.stays)].sort());
    t.is(out.notes.length, Object.keys(out.plan.stays).length);
    const tcp = Object.values(out.plan.flows).some((f) => f.kind !== 'activesync');
    t.is(out.files['script.ts']!.includes("from 'k6/x/tcp'"), tcp);
  });
}

test('the storm driver and the migration movers are named, not dropped', async (t) => {
  const storm = await exported('reply-all-storm');
  t.deepEqual(Object.keys(storm.out.plan.stays), ['storm']);
  t.regex(storm.out.notes[0]!, /flow "storm" is not exported: .*self-exciting/);
  const migration = await exported('weekend-migration');
  t.deepEqual(Object.keys(migration.out.plan.stays), ['move']);
  t.regex(migration.out.notes[0]!, /migration movers/);
});

test('--flows devices: the HTTP part of mass-lockout alone imports no extension', async (t) => {
  const { out } = await exported('mass-lockout', { flows: ['devices'] });
  t.deepEqual(Object.keys(out.plan.flows), ['devices']);
  t.false(out.files['script.ts']!.includes('k6/x/tcp'));
  t.false(out.files['script.js']!.includes('k6/x/tcp'));
  t.regex(out.files['script.js']!, /from ["']k6\/http["']/);
  t.deepEqual(Object.keys((optionsOf(out.files['script.ts']!) as { scenarios: object }).scenarios), ['devices']);
});

test('--flows naming an unknown flow or one that stays in mailstorm is bad input', async (t) => {
  const e1 = await t.throwsAsync(exported('smoke', { flows: ['nope'] }));
  t.is(e1?.message, '--flows: scenario "smoke" has no flow "nope"; its flows: mail');
  const e2 = await t.throwsAsync(exported('reply-all-storm', { flows: ['storm'] }));
  t.regex(e2?.message ?? '', /flow "storm" of "reply-all-storm" cannot run in k6/);
});

test('script.ts of every replay type-checks against @types/k6 and xk6-tcp\'s declarations', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'mailstorm-k6-tsc-'));
  const files: string[] = [];
  for (const name of EXPORTED) {
    const { out } = await exported(name);
    const file = `${name}.ts`;
    await writeFile(path.join(dir, file), out.files['script.ts']!);
    files.push(file);
  }
  await writeFile(path.join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, target: 'es2020', module: 'es2020', moduleResolution: 'node', lib: ['es2020'], types: ['k6'], typeRoots: [path.join(ROOT, 'node_modules/@types')], skipLibCheck: true },
    // k6/x/tcp as xk6-tcp declares it (@types/k6 has no extensions): a call off its API fails here
    files: [...files, path.join(ROOT, 'test/k6/types/k6-x-tcp.d.ts')],
  }));
  const result = await run(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', dir]).then(() => ({ code: 0, out: '' }), (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }));
  t.is(result.out, '');
  t.is(result.code, 0);
  t.is(files.length, EXPORTED.length);
});

// The TestRun fields k6-operator documents (k6.io/v1alpha1), strict: an unknown field fails.
const TestRun = z.strictObject({
  apiVersion: z.literal('k6.io/v1alpha1'),
  kind: z.literal('TestRun'),
  metadata: z.strictObject({ name: z.string().regex(/^[a-z0-9-]+$/) }),
  spec: z.strictObject({
    parallelism: z.number().int().min(1),
    separate: z.boolean(),
    cleanup: z.literal('post'),
    arguments: z.string(),
    script: z.strictObject({ configMap: z.strictObject({ name: z.string(), file: z.string() }) }),
    runner: z.strictObject({
      image: z.string().optional(),
      env: z.array(z.strictObject({ name: z.string(), value: z.string() })),
      resources: z.strictObject({ requests: z.record(z.string(), z.string()), limits: z.record(z.string(), z.string()) }),
    }),
  }),
});

test('--k6-operator: testrun.yaml validates against the TestRun fields and names the configmap', async (t) => {
  const { out } = await exported('mass-lockout', { operator: { parallelism: 4, runnerImage: 'registry.test/k6-tcp:1' } });
  const run = TestRun.parse(parseYaml(out.files['testrun.yaml']!));
  t.is(run.spec.parallelism, 4);
  t.is(run.spec.runner.image, 'registry.test/k6-tcp:1');
  const cm = parseYaml(out.files['configmap.yaml']!) as { kind: string; metadata: { name: string }; data: Record<string, string> };
  t.is(cm.kind, 'ConfigMap');
  t.is(cm.metadata.name, run.spec.script.configMap.name);
  t.is(cm.data[run.spec.script.configMap.file], out.files['script.js']);
});

test('execution segments for N runners cover 0..1 as k6-operator hands them out', (t) => {
  t.deepEqual([1, 2, 3].map((i) => segmentOf(i, 3)), ['0:1/3', '1/3:2/3', '2/3:1']);
  t.is(segmentSequence(3), '0,1/3,2/3,1');
  t.is(segmentOf(1, 1), '0:1');
  t.throws(() => segmentOf(4, 3), { message: 'runner 4 of 3: need 1 <= i <= N' });
});
