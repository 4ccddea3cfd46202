import test from 'ava';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { fixtureDir, readResult, runCli } from './helpers.ts';
import type { SuiteResult } from '../../reports/result-schema.ts';

test('suite pre-upgrade writes suite.json, a combined junit.xml and one folder per run', async (t) => {
  const { dir } = await fixtureDir(t);
  const out = path.join(dir, 'suite');
  const r = await runCli(['suite', 'pre-upgrade', '--out', out, '--quiet', '--duration', '2s'], dir);
  t.is(r.code, 0, `${r.stdout}\n${r.stderr}`);
  const suite = JSON.parse(await readFile(path.join(out, 'suite.json'), 'utf8')) as SuiteResult;
  t.is(suite.suite, 'pre-upgrade');
  t.is(suite.verdict, 'pass');
  t.deepEqual(suite.runs.map((run) => run.scenario), ['smoke']);
  const first = suite.runs[0];
  if (!first) return t.fail('no runs');
  const result = await readResult(path.join(out, first.dir));
  t.like(result, { complete: true, verdict: 'pass', params: { duration: '2s' } });
  t.true((result.ledger?.delivered ?? 0) > 0);
  t.is(result.ledger?.lost, 0);
  const junit = await readFile(path.join(out, 'junit.xml'), 'utf8');
  t.regex(junit, /<testsuites name="mailstorm suite pre-upgrade"/);
  t.regex(junit, /<testsuite name="smoke"/);
});
