// Postfix's smtp-sink and HAProxy as background peers, smtp-source as a timed load generator.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { background, run, type Background } from './processes.ts';
import { freePort, waitForPort } from './free-port.ts';

const asRoot = process.getuid?.() === 0;

/** smtp-sink on a free loopback port (it must drop root privileges: -u nobody). */
export async function startSmtpSink(binary: string): Promise<Background & { port: number }> {
  const port = await freePort();
  const sink = background(binary, [...(asRoot ? ['-u', 'nobody'] : []), `127.0.0.1:${port}`, '256']);
  try {
    await waitForPort(port);
  } catch (error) {
    await sink.stop();
    throw error;
  }
  return { ...sink, port };
}

/**
 * HAProxy relaying TCP from a free loopback port to 127.0.0.1:<upstream>, in the foreground
 * (-db) so stop() ends it; its defaults (one thread per core) are left alone.
 */
export async function startHaproxy(binary: string, upstream: number): Promise<Background & { port: number }> {
  const port = await freePort();
  const config = path.join(os.tmpdir(), `mailstorm-bench-haproxy-${process.pid}-${port}.cfg`);
  const lines = [
    'global', '  maxconn 4096',
    'defaults', '  mode tcp', '  timeout connect 5s', '  timeout client 120s', '  timeout server 120s',
    'listen relay', `  bind 127.0.0.1:${port}`, `  server upstream 127.0.0.1:${upstream}`,
  ];
  fs.writeFileSync(config, `${lines.join('\n')}\n`);
  const relay = background(binary, ['-db', '-f', config]);
  const stop = async () => {
    await relay.stop();
    fs.rmSync(config, { force: true });
  };
  try {
    await waitForPort(port);
  } catch (error) {
    await stop();
    throw error;
  }
  return { ...relay, stop, port };
}

export interface SourceOptions {
  port: number;
  messages: number;
  sessions?: number;
  sizeBytes?: number;
  from?: string;
  to?: string;
  /** -d: keep each session open for the next message instead of one message per connection. */
  reuseConnections?: boolean;
  timeoutMs: number;
}

/** Runs `smtp-source -s S -l L -m N` and answers messages per second (spawn to exit). */
export async function smtpSourceRate(binary: string, o: SourceOptions): Promise<number> {
  const args = ['-s', String(o.sessions ?? 20), '-l', String(o.sizeBytes ?? 2048), '-m', String(o.messages)];
  if (o.from) args.push('-f', o.from);
  if (o.to) args.push('-t', o.to);
  if (o.reuseConnections) args.push('-d');
  const done = await run(binary, [...args, `127.0.0.1:${o.port}`], o.timeoutMs, process.env, o.reuseConnections ? 'smtp-source -d' : 'smtp-source');
  if (done.code !== 0) throw new Error(`smtp-source exited ${done.code}: ${done.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return o.messages / (done.ms / 1000);
}

/**
 * postal (-t threads, 2 KB bodies, one message per connection, no rate cap) into its own smtp-sink -c for
 * `seconds`, then stopped; the rate is the messages smtp-sink counted over that time.
 * postal only reports per minute and runs until killed, hence the counting sink. It runs in a
 * scratch folder: it writes a postal.log of every message into its working directory.
 */
export async function postalRate(postal: string, smtpSink: string, seconds: number, threads = 20): Promise<number> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'mailstorm-bench-postal-'));
  const users = path.join(scratch, 'users.txt');
  fs.writeFileSync(users, 'rcpt@bench.test\n');
  const port = await freePort();
  const sink = background(smtpSink, ['-c', ...(asRoot ? ['-u', 'nobody'] : []), `127.0.0.1:${port}`, '256']);
  try {
    await waitForPort(port);
    const load = background(postal, ['-t', String(threads), '-m', '2', '-M', '2', '-c', '1', '-r', '6000000', `[127.0.0.1]${port}`, users], scratch);
    const started = performance.now();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    await load.stop();
    const elapsed = (performance.now() - started) / 1000;
    const counts = [...sink.output().matchAll(/mesg=(\d+)/g)];
    return Number(counts.at(-1)?.[1] ?? 0) / elapsed;
  } finally {
    await sink.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
