import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import nodemailer from 'nodemailer';
import { listening } from './helpers.ts';

const fixture = fileURLToPath(new URL('./fixtures/fakes-cli.ts', import.meta.url));

test('`mailstorm fakes up` serves a real client and stops cleanly on SIGINT', async (t) => {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, 'fakes', 'up', '--users', '5', '--lockout', 'smart'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const until = Date.now() + 30_000;
    while (!out.includes('ready;') && Date.now() < until && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
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
    t.regex(out, /stopped/);
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
