import test from 'ava';
import path from 'node:path';
import { readFile, writeFile } from 'node:fs/promises';
import { fixtureDir, readResult, runCli } from './helpers.ts';
import type { SuiteResult } from '../../harness/result-schema.ts';
import { suites } from '../../scenarios/suites.ts';
import { builtIns } from '../../scenarios/index.ts';
import { prepareRun } from '../../harness/run/prepare.ts';

test('a suite file runs its entries in order and writes suite.json, a combined junit.xml, reports and one folder per run', async (t) => {
  const { dir } = await fixtureDir(t);
  const file = path.join(dir, 'nightly.yaml');
  await writeFile(file, [
    'name: nightly',
    'description: rig check and a counter',
    'entries:',
    '  - scenario: smoke',
    '    set: [duration=2s]',
    '  - scenario: ./counter.ts',
    '    set: [iterations=3]',
    '',
  ].join('\n'));
  const out = path.join(dir, 'suite');
  const r = await runCli(['suite', file, '--out', out, '--quiet'], dir);
  t.is(r.code, 0, `${r.stdout}\n${r.stderr}`);
  const suite = JSON.parse(await readFile(path.join(out, 'suite.json'), 'utf8')) as SuiteResult;
  t.like(suite, { suite: 'nightly', verdict: 'pass' });
  t.deepEqual(suite.runs.map((run) => run.scenario), ['smoke', 'cli-counter']);
  const [first, second] = suite.runs;
  if (!first || !second) return t.fail('missing runs');
  const smoke = await readResult(path.join(out, first.dir));
  t.like(smoke, { complete: true, verdict: 'pass', params: { duration: '2s' } });
  t.true((smoke.ledger?.delivered ?? 0) > 0);
  t.is(smoke.ledger?.lost, 0);
  t.like(await readResult(path.join(out, second.dir)), { params: { iterations: 3 } });
  const junit = await readFile(path.join(out, 'junit.xml'), 'utf8');
  t.regex(junit, /<testsuites name="mailstorm suite nightly"/);
  t.regex(junit, /<testsuite name="smoke"/);
  t.regex(junit, /<testsuite name="cli-counter"/);
  t.regex(await readFile(path.join(out, 'index.html'), 'utf8'), /nightly/);
});

test('a bad suite file is an input error naming the field', async (t) => {
  const { dir } = await fixtureDir(t);
  const file = path.join(dir, 'bad.yaml');
  await writeFile(file, 'name: bad\nentries:\n  - scenario: smoke\n    sett: [x=1]\n');
  const r = await runCli(['suite', file], dir);
  t.is(r.code, 2);
  t.regex(r.stderr, /entries\.0.*sett|sett/);
  const missing = await runCli(['suite', path.join(dir, 'nope.yaml')], dir);
  t.is(missing.code, 2);
  t.regex(missing.stderr, /cannot read/);
});

test('every built-in suite entry names a real scenario with valid settings', async (t) => {
  for (const suite of suites) {
    for (const entry of suite.entries) {
      const definition = await builtIns.load(entry.scenario);
      t.notThrows(() => prepareRun(definition, { set: [...(entry.set ?? [])], ...(entry.scale !== undefined ? { scale: entry.scale } : {}) }), `${suite.name}: ${entry.scenario}`);
    }
  }
});

test('the five incident replays are in pre-upgrade, acceptance and incidents: cutover protected (scale 2 in acceptance) or blind', async (t) => {
  const incidentReplays = ['reply-all-storm', 'mass-lockout', 'weekend-migration', 'leak-failover', 'cutover'];
  const scenariosOf = (name: string) => suites.find((s) => s.name === name)!.entries.map((e) => e.scenario);
  t.deepEqual(scenariosOf('pre-upgrade'), ['smoke', ...incidentReplays]);
  t.deepEqual(scenariosOf('acceptance'), ['smoke', ...incidentReplays]);
  t.deepEqual(scenariosOf('incidents'), incidentReplays);
  const cutover = await builtIns.load('cutover');
  const planOf = (suite: string) => {
    const entry = suites.find((s) => s.name === suite)!.entries.find((e) => e.scenario === 'cutover')!;
    return prepareRun(cutover, { set: [...(entry.set ?? [])], ...(entry.scale !== undefined ? { scale: entry.scale } : {}) }).params as { protected: boolean; accounts: number };
  };
  t.like(planOf('pre-upgrade'), { protected: true, accounts: 500 });
  t.like(planOf('acceptance'), { protected: true, accounts: 1000 });
  t.like(planOf('incidents'), { protected: false, accounts: 500 });
});
