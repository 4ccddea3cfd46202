// Where an OAuth2 token comes from: a file (read again when it expires) or a command run
// without a shell, bounded in time, its output trimmed (a bare token or a token endpoint's
// JSON); bad references and failing commands are InputErrors naming the key, never the token.
import test from 'ava';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ReferencedToken } from '../../engine/clients/auth/token-reference.ts';
import { splitArgv } from '../../engine/clients/auth/argv.ts';
import { InputError } from '../../engine/errors.ts';
import type { Clock } from '../../engine/clock.ts';

async function tempDir(t: { teardown(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mailstorm-token-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A clock the test moves by hand. */
function manualClock(start = 1_700_000_000_000): Clock & { advance(ms: number): void } {
  let now = start;
  return { now: () => now, sleep: async () => {}, advance: (ms) => { now += ms; } };
}

const node = JSON.stringify(process.execPath);

test('argv is split without a shell: quotes group words, nothing is expanded', (t) => {
  t.deepEqual(splitArgv(`get-token --tenant "test tenant" 'a b' c\\ d $HOME *`, 'k'), ['get-token', '--tenant', 'test tenant', 'a b', 'c d', '$HOME', '*']);
  t.throws(() => splitArgv('get-token "open', 'auth.token'), { instanceOf: InputError, message: 'auth.token: unclosed " quote in the command' });
  t.throws(() => splitArgv('   ', 'auth.token'), { instanceOf: InputError, message: /names no program/ });
});

test('a file token is trimmed, kept while valid and read again when its JWT exp has passed', async (t) => {
  const dir = await tempDir(t);
  const clock = manualClock();
  const exp = Math.floor(clock.now() / 1000) + 3600;
  const jwt = (n: number) => `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify({ exp, n })).toString('base64url')}.sig`;
  await writeFile(path.join(dir, 'token'), `${jwt(1)}\n`);
  const source = new ReferencedToken('file:token', { where: 'auth.token', baseDir: dir, clock });
  t.is(await source.token(), jwt(1));
  await writeFile(path.join(dir, 'token'), jwt(2));
  clock.advance(30 * 60_000);
  t.is(await source.token(), jwt(1), 'still valid: not read again');
  clock.advance(30 * 60_000);
  t.is(await source.token(), jwt(2), 'expired: read again');
  await rm(path.join(dir, 'token'));
  await t.throwsAsync(source.refresh(), { instanceOf: InputError, message: new RegExp(`^auth\\.token: cannot read ${dir}/token \\(ENOENT\\)$`) });
  t.throws(() => new ReferencedToken('hunter2', { where: 'accounts.0.token', baseDir: dir }), { instanceOf: InputError, message: 'accounts.0.token: give file:PATH or command:PROGRAM ARGS; a token is never written in the file itself' });
});

test('a command token: run without a shell, JSON expiry honoured, concurrent reads share one run, failures named without the token', async (t) => {
  const dir = await tempDir(t);
  const clock = manualClock();
  // counts its runs in a file, prints a token endpoint's answer
  await writeFile(path.join(dir, 'issue.mjs'), [
    "import { readFileSync, writeFileSync } from 'node:fs';",
    "let n = 0; try { n = Number(readFileSync('runs', 'utf8')); } catch {}",
    "writeFileSync('runs', String(++n));",
    "console.log(JSON.stringify({ access_token: `tok-${process.argv[2]}-${n}`, expires_in: 600 }));",
  ].join('\n'));
  const source = new ReferencedToken(`command:${node} issue.mjs "alice b"`, { where: 'auth.token', baseDir: dir, clock });
  const [a, b] = await Promise.all([source.token(), source.token()]);
  t.is(a, 'tok-alice b-1');
  t.is(b, a, 'one run for both');
  clock.advance(8 * 60_000);
  t.is(await source.token(), 'tok-alice b-1');
  clock.advance(2 * 60_000);
  t.is(await source.token(), 'tok-alice b-2', 'read again inside the last minute before expires_in');
  t.is(await source.refresh(), 'tok-alice b-3', 'a refusal reads it again');

  const failing = new ReferencedToken(`command:${node} -e "console.error('tenant not found'); process.exit(3)"`, { where: 'auth.token', baseDir: dir });
  await t.throwsAsync(failing.token(), { instanceOf: InputError, message: /^auth\.token: the command node: exited with 3: tenant not found$/ });
  const slow = new ReferencedToken(`command:${node} -e "setTimeout(() => console.log('late'), 5000)"`, { where: 'auth.token', baseDir: dir, timeoutMs: 300 });
  const started = Date.now();
  await t.throwsAsync(slow.token(), { instanceOf: InputError, message: 'auth.token: the command node: gave no token within 0.3 s and was stopped' });
  t.true(Date.now() - started < 4000, 'stopped at its time bound');
  await t.throwsAsync(new ReferencedToken('command:no-such-token-tool --json', { where: 'auth.token', baseDir: dir }).token(), { instanceOf: InputError, message: /no such program \(no-such-token-tool\)/ });
  await t.throwsAsync(new ReferencedToken(`command:${node} -e ""`, { where: 'auth.token', baseDir: dir }).token(), { instanceOf: InputError, message: 'auth.token: the command node gave no token' });
});
