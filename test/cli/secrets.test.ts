// A parameter marked secret() reaches the flows but none of what a run writes down:
// result.json, junit, reports, the reproduce command, the console, error messages.
import test from 'ava';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { copyFixture, readResult, runCli } from './helpers.ts';

const SECRET = 'Hunter2-SeCrEt-42';

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

test('a secret parameter is used by the run and written nowhere', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mailstorm-secret-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const scenario = await copyFixture(dir, 'secret-scenario.ts', 'secret.ts');
  const out = path.join(dir, 'out');
  const r = await runCli(['run', scenario, '--out', out, '--set', `password=${SECRET}`, '--set', 'user=alice', '--seed', '3'], dir);
  t.is(r.code, 0, r.stderr);
  const result = await readResult(out);
  t.is(result.figures['password_length']?.value, SECRET.length, 'the flows had the real value');
  t.is(result.figures['password_starts_with_h']?.value, 1);
  t.deepEqual(result.params, { user: 'alice', password: '[redacted]' });
  t.regex(result.command, /--set 'password=\[redacted\]' --set user=alice/);
  const files = await filesUnder(out);
  t.true(files.length >= 4, files.join(', '));
  for (const file of files) t.false((await readFile(file, 'utf8')).includes(SECRET), `${path.basename(file)} holds the secret`);
  t.false(r.stdout.includes(SECRET) || r.stderr.includes(SECRET), 'the console shows the secret');
});

test('a bad secret value is named by its key, never shown', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mailstorm-secret-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const scenario = await copyFixture(dir, 'secret-scenario.ts', 'secret.ts');
  const r = await runCli(['run', scenario, '--out', path.join(dir, 'out'), '--set', 'password=Hx7q!'], dir);
  t.is(r.code, 2, r.stderr);
  t.regex(r.stderr, /--set password=\[redacted\]: /);
  t.false(r.stderr.includes('Hx7q!') || r.stdout.includes('Hx7q!'));
});

test('k6 export refuses a secret set on its command line, which the script would hold in the clear', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mailstorm-secret-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const scenario = await copyFixture(dir, 'secret-scenario.ts', 'secret.ts');
  const r = await runCli(['export', 'k6', scenario, '--out', path.join(dir, 'k6'), '--set', `password=${SECRET}`], dir);
  t.is(r.code, 2, r.stderr);
  t.regex(r.stderr, /--set password: a secret parameter; an exported k6 script would hold it in the clear/);
  t.false(r.stderr.includes(SECRET));
  await t.throwsAsync(readdir(path.join(dir, 'k6')), { code: 'ENOENT' }, 'nothing written');
});
