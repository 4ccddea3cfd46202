import test from 'ava';
import path from 'node:path';
import { writeFile } from 'node:fs/promises';
import { REPO, fixtureDir, readResult, runCli } from './helpers.ts';

// Every usage error exits 2 and names the problem, before anything starts.
const cases: { title: string; args: (scenario: string, dir: string) => string[]; message: RegExp }[] = [
  { title: 'unknown scenario', args: () => ['run', 'no-such-scenario'], message: /unknown scenario "no-such-scenario"/ },
  { title: 'unknown --set key', args: (s) => ['run', s, '--set', 'nope=1'], message: /--set nope: unknown parameter; allowed keys: vus, iterations/ },
  { title: 'wrong type', args: (s) => ['run', s, '--set', 'vus=many'], message: /vus must be a number/ },
  { title: 'out of range', args: (s) => ['run', s, '--set', 'vus=9'], message: /vus=9.*5/ },
  { title: 'enum value', args: (s) => ['run', s, '--set', 'mode=loud'], message: /mode must be one of count, throw, timed, crash/ },
  { title: 'bad --duration', args: (s) => ['run', s, '--duration', 'soonish'], message: /--duration.*not a duration/ },
  { title: 'unreadable config', args: (s, d) => ['run', s, '--stack', 'remote', '--config', path.join(d, 'missing.yaml')], message: /--config .*missing.yaml: cannot read/ },
  { title: 'bad threshold expression', args: (s) => ['run', s, '--set', 'threshold=p(99)<<5'], message: /p\(99\)<<5/ },
  { title: 'unknown option', args: (s) => ['run', s, '--bogus'], message: /unknown option '--bogus'/ },
  { title: 'unknown stack', args: (s) => ['run', s, '--stack', 'cloud'], message: /--stack.*cloud.*embedded, docker, remote/ },
  { title: '--out into the source tree', args: (s) => ['run', s, '--out', path.join(REPO, 'engine', 'out')], message: /would write into mailstorm's source tree/ },
  { title: '--toxiproxy on a stack that starts its own', args: (s) => ['run', s, '--toxiproxy', 'http://127.0.0.1:8474'], message: /--toxiproxy names the Toxiproxy of a remote stack; --stack embedded starts its own/ },
  { title: '--toxiproxy that is not a URL', args: (s) => ['run', s, '--stack', 'remote', '--toxiproxy', 'toxiproxy:8474'], message: /--toxiproxy must be an http/ },
  { title: 'bad --execution-segment', args: (s) => ['run', s, '--execution-segment', '2/3:1/3'], message: /--execution-segment: start 2\/3 must be less than end 1\/3/ },
  { title: '--execution-segment outside its sequence', args: (s) => ['run', s, '--execution-segment', '0:1/4', '--execution-segment-sequence', '0,1/3,2/3,1'], message: /0:1\/4 is not in --execution-segment-sequence 0,1\/3,2\/3,1/ },
  { title: '--execution-segment-sequence alone', args: (s) => ['run', s, '--execution-segment-sequence', '0,1/2,1'], message: /--execution-segment-sequence needs --execution-segment/ },
  { title: 'unknown suite', args: () => ['suite', 'nightly'], message: /unknown suite "nightly"; suites: pre-upgrade/ },
];

for (const c of cases) {
  test(`${c.title}: exit 2 naming the problem`, async (t) => {
    const { dir, scenario } = await fixtureDir(t);
    const r = await runCli(c.args(scenario, dir), dir);
    t.is(r.code, 2, r.stderr);
    t.regex(r.stderr, c.message);
    t.notRegex(r.stderr, /\n\s+at /, 'no stack trace for user input');
  });
}

test('a remote config with an unknown key names it', async (t) => {
  const { dir, scenario } = await fixtureDir(t);
  const config = path.join(dir, 'stack.yaml');
  await writeFile(config, 'smtp: { host: 127.0.0.1, port: 2525 }\nsmpt_typo: 1\n');
  const r = await runCli(['run', scenario, '--stack', 'remote', '--config', config], dir);
  t.is(r.code, 2, r.stderr);
  t.regex(r.stderr, /smpt_typo/);
});

test('list --verbose shows parameters with defaults; --version prints the version', async (t) => {
  const { dir } = await fixtureDir(t);
  const list = await runCli(['list', '--verbose'], dir);
  t.is(list.code, 0);
  t.regex(list.stdout, /smoke/);
  t.regex(list.stdout, /--set rate=<number> = 5/);
  const version = await runCli(['--version'], dir);
  t.is(version.code, 0);
  t.regex(version.stdout, /^\d+\.\d+\.\d+/);
});

test('--toxiproxy points a remote stack at a Toxiproxy API, recorded in the stack description', async (t) => {
  const { dir, scenario, remote } = await fixtureDir(t);
  const out = path.join(dir, 'out');
  const r = await runCli(['run', scenario, ...remote, '--toxiproxy', 'http://127.0.0.1:18474', '--out', out, '--quiet'], dir);
  t.is(r.code, 0, r.stderr);
  const result = await readResult(out);
  t.true(result.stack.components.some((c) => c.name === 'toxiproxy' && c.endpoint?.includes('18474')));
  t.regex(result.command, /--toxiproxy http:\/\/127\.0\.0\.1:18474/);
});
