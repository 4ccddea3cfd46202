// --redact: the account names a run used (set on the command line, refused by the platform)
// appear in no file the run wrote, nor in its output, and stand in as a stable hash; without
// --redact the same run names them. The platform is an embedded stack described as a remote one.
import test from 'ava';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { embeddedProvider } from '../../stack/embedded/index.ts';
import { accountRedactor, hashAccount } from '../../harness/run/redact-accounts.ts';
import { copyFixture, readResult, runCli } from '../cli/helpers.ts';
import { stackOptions } from '../stack-embedded/helpers.ts';

test('a stand-in is stable, keeps the domain, and leaves digests, versions and stand-ins alone', (t) => {
  const a = hashAccount('Alice@Trust-A.test');
  t.regex(a, /^user-[0-9a-f]{8}@Trust-A\.test$/);
  t.is(hashAccount('alice@trust-a.test').slice(0, 13), a.slice(0, 13), 'case does not change the hash');
  t.not(hashAccount('bob@trust-a.test'), hashAccount('alice@trust-a.test'));
  const redact = accountRedactor(['jsmith']);
  const text = 'from alice@trust-a.test to <bob@trust-a.test>; image postfix@sha256:abc; imapflow@1.0.2; login jsmith failed; jsmiths stays';
  const once = redact(text);
  t.false(once.includes('alice@') || once.includes('bob@') || /\bjsmith\b/.test(once), once);
  t.true(once.includes('postfix@sha256:abc') && once.includes('imapflow@1.0.2') && once.includes('jsmiths stays'), once);
  t.is(redact(once), once, 'redacting twice changes nothing');
});

async function outputTexts(dir: string): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) texts.set(path.relative(dir, path.join(entry.parentPath, entry.name)), await readFile(path.join(entry.parentPath, entry.name), 'utf8'));
  }
  return texts;
}

test('with --redact no output file, nor the command\'s output, holds an account name the run used', async (t) => {
  t.timeout(180_000);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mailstorm-redact-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const scenario = await copyFixture(dir, 'plan-scenario.ts', 'plan-fixture.ts');
  await using platform = await embeddedProvider.start(stackOptions({ population: { organisations: [{ name: 'Redact Trust', users: 3 }] } }));
  const d = platform.directory!;
  const e = platform.endpoints;
  const config = path.join(dir, 'platform.yaml');
  await writeFile(config, `allow: [127.0.0.1]\nsmtp: { host: 127.0.0.1, port: ${e.smtp.port} }\nactivesync: ${e.activesync}\n`);
  const names = [d.addressAt(0), d.addressAt(1), `nobody-here@${d.domain}`];
  const set = ['--set', `from=${names[0]}`, '--set', `to=${names[1]}`, '--set', `ghost=${names[2]}`, '--set', 'rate=4', '--set', 'httpRate=2', '--set', 'duration=2s'];
  const run = (out: string, extra: string[]) => runCli(['run', scenario, '--stack', 'remote', '--config', config, '--out', path.join(dir, out), '--rig-limit', 'cpuWaitShare=none', ...set, ...extra], dir);
  const [plain, redacted] = [await run('plain', ['--quiet']), await run('redacted', ['--redact'])];
  t.is(plain.code, 0, plain.stdout + plain.stderr);
  t.is(redacted.code, 0, redacted.stdout + redacted.stderr);

  // without --redact the names are there: the reproduce command, the refusal of the ghost
  const plainTexts = await outputTexts(path.join(dir, 'plain'));
  const naming = [...plainTexts].filter(([, text]) => names.some((n) => text.includes(n))).map(([f]) => f).sort();
  t.true(['report.html', 'report.md', 'result.json'].every((f) => naming.includes(f)), `files naming an account: ${naming.join(', ')}`);
  for (const n of names) t.true(plainTexts.get('result.json')!.includes(n), n);

  const texts = await outputTexts(path.join(dir, 'redacted'));
  t.deepEqual([...texts.keys()].filter((f) => !f.startsWith('logs')).sort(), [...plainTexts.keys()].filter((f) => !f.startsWith('logs')).sort(), 'the same files were written');
  t.true(texts.has('junit.xml') && texts.has('result.json'));
  for (const [file, text] of [...texts, ['stdout', redacted.stdout], ['stderr', redacted.stderr]] as const) {
    for (const n of names) t.false(text.toLowerCase().includes(n.toLowerCase()), `${file} names ${n}`);
  }
  // a suite's own files (suite.json, the combined junit and report) come from redacted results
  const suiteFile = path.join(dir, 'suite.yaml');
  await writeFile(suiteFile, `name: handed-over\ndescription: one entry\nentries:\n  - scenario: ${scenario}\n    set: [${set.filter((x) => x !== '--set').join(', ')}]\n`);
  const suite = await runCli(['suite', suiteFile, '--stack', 'remote', '--config', config, '--out', path.join(dir, 'suite'), '--rig-limit', 'cpuWaitShare=none', '--redact'], dir);
  t.is(suite.code, 0, suite.stdout + suite.stderr);
  const suiteTexts = await outputTexts(path.join(dir, 'suite'));
  t.true(suiteTexts.has('suite.json') && suiteTexts.has('junit.xml'), [...suiteTexts.keys()].join(', '));
  for (const [file, text] of [...suiteTexts, ['suite stdout', suite.stdout], ['suite stderr', suite.stderr]] as const) {
    for (const n of names) t.false(text.toLowerCase().includes(n.toLowerCase()), `${file} names ${n}`);
  }
  t.true([...suiteTexts.values()].some((text) => text.includes(hashAccount(names[2]!))), 'the suite\'s run shows the stand-in');

  const result = await readResult(path.join(dir, 'redacted'));
  const ghost = hashAccount(names[2]!);
  t.true(result.command.includes(`ghost=${ghost}`) && result.command.includes('--redact'), result.command);
  t.true(result.errors.some((x) => x.sample.includes(ghost)), JSON.stringify(result.errors));
  t.is(result.params['to'], hashAccount(names[1]!));
});
