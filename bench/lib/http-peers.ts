// nginx as the HTTP server (a generated nginx.conf in a scratch folder: one worker,
// `return 200`, no access log) and wrk as the peer load generator, whose figures come from
// a Lua done() hook as one JSON line, in microseconds like wrk's own histogram.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { background, run, type Background } from './processes.ts';
import { freePort, waitForPort } from './free-port.ts';

/**
 * nginx in the foreground (daemon off) on a free loopback port. One worker process: the
 * load generator under test gets the other core of a 2-core machine. keepalive_requests is
 * raised from its default 1000 so neither client reconnects during a run.
 */
export async function startNginx(binary: string): Promise<Background & { port: number; url: string }> {
  const port = await freePort();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'mailstorm-bench-nginx-'));
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `  ${kind}_temp_path ${path.join(scratch, kind)};`);
  const config = [
    'worker_processes 1;',
    'daemon off;',
    `pid ${path.join(scratch, 'nginx.pid')};`,
    `error_log ${path.join(scratch, 'error.log')} warn;`,
    'events { worker_connections 4096; }',
    'http {',
    '  access_log off;',
    '  keepalive_requests 100000000;',
    ...temp,
    `  server { listen 127.0.0.1:${port}; location / { return 200 "ok\\n"; } }`,
    '}',
  ];
  const file = path.join(scratch, 'nginx.conf');
  fs.writeFileSync(file, `${config.join('\n')}\n`);
  // -e: the error log from the start, before the config is read (not /var/log/nginx).
  const server = background(binary, ['-p', scratch, '-e', path.join(scratch, 'error.log'), '-c', file]);
  const stop = async () => {
    await server.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  };
  try {
    await waitForPort(port);
  } catch (error) {
    const log = fs.existsSync(path.join(scratch, 'error.log')) ? fs.readFileSync(path.join(scratch, 'error.log'), 'utf8').trim() : '';
    await stop();
    throw new Error(`nginx did not start: ${log.split('\n').slice(-2).join(' | ') || (error as Error).message}`);
  }
  return { ...server, stop, port, url: `http://127.0.0.1:${port}/` };
}

/** What one wrk run measured: requests per second and latency in milliseconds. */
export interface WrkResult {
  requests: number;
  errors: number;
  rate: number;
  minMs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** CPU wrk used per wall second, in cores. */
  cores: number;
  /** Share of that CPU spent in the kernel (socket system calls). */
  kernelShare: number;
}

// wrk calls done() once at the end with its summary and latency histogram (microseconds).
const DONE_HOOK = `done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"requests":%d,"durationUs":%d,"errors":%d,"minUs":%d,"p50Us":%d,"p99Us":%d,"maxUs":%d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout + e.status,
    latency.min, latency:percentile(50), latency:percentile(99), latency.max))
end
`;

/** `wrk -t1 -c<connections> -d<seconds>s` against url; its figures from the done() hook. */
export async function wrkRun(binary: string, url: string, connections: number, seconds: number): Promise<WrkResult> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'mailstorm-bench-wrk-'));
  const script = path.join(scratch, 'done.lua');
  fs.writeFileSync(script, DONE_HOOK);
  try {
    const done = await run(binary, ['-t1', `-c${connections}`, `-d${seconds}s`, '--timeout', '10s', '-s', script, url], (seconds + 30) * 1000);
    const line = done.stdout.split('\n').find((l) => l.startsWith('{"requests"'));
    if (done.code !== 0 || !line) throw new Error(`wrk exited ${done.code}: ${(done.stderr || done.stdout).trim().split('\n').slice(-3).join(' | ')}`);
    const r = JSON.parse(line) as { requests: number; durationUs: number; errors: number; minUs: number; p50Us: number; p99Us: number; maxUs: number };
    return {
      requests: r.requests,
      errors: r.errors,
      rate: r.requests / (r.durationUs / 1e6),
      minMs: r.minUs / 1000,
      p50Ms: r.p50Us / 1000,
      p99Ms: r.p99Us / 1000,
      maxMs: r.maxUs / 1000,
      cores: done.cpuSeconds / (done.ms / 1000),
      kernelShare: done.cpuSeconds > 0 ? done.systemSeconds / done.cpuSeconds : NaN,
    };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
