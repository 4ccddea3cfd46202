import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import nodemailer from 'nodemailer';
import { listening } from './helpers.ts';

const fixture = fileURLToPath(new URL('./fixtures/fakes-cli.ts', import.meta.url));

/** Starts `mailstorm fakes up ...` and waits (at most 30 s) for its "ready;" line. */
async function fakesUp(args: string[], options: { tsx: string; cwd?: string }) {
  const child = spawn(process.execPath, ['--import', options.tsx, fixture, 'fakes', 'up', ...args], { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const until = Date.now() + 30_000;
  while (!out.includes('ready;') && Date.now() < until && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
  return { child, out: () => out, exited };
}

test('`mailstorm fakes up` serves a real client and stops cleanly on SIGINT', async (t) => {
  const { child, out: output, exited } = await fakesUp(['--users', '5', '--lockout', 'smart'], { tsx: 'tsx' });
  try {
    const out = output();
    t.true(out.includes('ready;'), out);
    const port = Number(/^\s+submission\s+127\.0\.0\.1:(\d+)/m.exec(out)?.[1]);
    const [, user, pass] = /a user: (\S+) \/ (\S+)/.exec(out) ?? [];
    t.true(port > 0 && !!user && !!pass, out);
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port, ignoreTLS: true, auth: { user: user!, pass: pass! } });
    const info = await transport.sendMail({ from: user, to: 'everyone@nhs.test', subject: 'hi', text: 'hello' });
    t.deepEqual(info.accepted, ['everyone@nhs.test']);
    transport.close();
    child.kill('SIGINT');
    t.is(await exited, 0);
    t.regex(output(), /stopped/);
    t.false(await listening(port));
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});

test('bad flags are refused with a message naming the flag', async (t) => {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, 'fakes', 'up', '--lockout', 'sometimes'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  t.not(code, 0);
  t.regex(err, /--lockout/);
});

test('`fakes up --config` with auth: oauth2 and tls: starttls says where the tokens and the CA are; a token logs in, the password is refused', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'mailstorm-fakes-oauth-'));
  await writeFile(path.join(dir, 'fakes.yaml'), 'auth: oauth2\ntls: starttls\n');
  const accounts = path.join(dir, 'accounts.json');
  // run in its own folder (the CA is written there), so tsx is named by its resolved path
  const { child, out: output, exited } = await fakesUp(['--users', '3', '--config', 'fakes.yaml', '--accounts-out', accounts, '--for', 'k6'], { tsx: import.meta.resolve('tsx'), cwd: dir });
  try {
    const out = output();
    t.true(out.includes('ready;'), out);
    t.true(out.includes(`auth: oauth2: passwords are refused (XOAUTH2 on submission and IMAP, Bearer on ActiveSync); each account's token is in ${accounts} (field "token")`), out);
    t.true(out.includes(`\nTLS: STARTTLS required on smtp, submission and imap, https on activesync; certificates verified against the CA generated at start (${path.join(dir, 'embedded-ca.pem')})\n`), out);
    t.regex(out, /^k6 env: .* AUTH=oauth2( |$)/m);
    const rows = (JSON.parse(await readFile(accounts, 'utf8')) as { accounts: { address: string; password: string; token?: string }[] }).accounts;
    t.is(rows.length, 3);
    t.true(rows.every((r) => /^ms-at\.\w{40}$/.test(r.token ?? '')), 'a token for every account');
    const [, user, token] = /a user: (\S+) \/ token (\S+)/.exec(out) ?? [];
    t.is(token, rows.find((r) => r.address === user)?.token);

    const port = Number(/^\s+submission\s+127\.0\.0\.1:(\d+)/m.exec(out)?.[1]);
    const ca = await readFile(path.join(dir, 'embedded-ca.pem'), 'utf8');
    const viaToken = nodemailer.createTransport({ host: '127.0.0.1', port, requireTLS: true, tls: { ca }, auth: { type: 'OAuth2', user: user!, accessToken: token! } });
    t.deepEqual((await viaToken.sendMail({ from: user, to: 'everyone@nhs.test', text: 'hello' })).accepted, ['everyone@nhs.test']);
    viaToken.close();
    const viaPassword = nodemailer.createTransport({ host: '127.0.0.1', port, requireTLS: true, tls: { ca }, auth: { user: user!, pass: rows[0]!.password } });
    const refused = await t.throwsAsync(viaPassword.sendMail({ from: user, to: 'everyone@nhs.test', text: 'hello' })) as Error & { responseCode?: number };
    t.is(refused?.responseCode, 535);
    viaPassword.close();
    child.kill('SIGINT');
    t.is(await exited, 0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});
