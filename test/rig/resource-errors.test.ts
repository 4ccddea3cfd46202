// A run whose process ran out of file descriptors is inconclusive: every send that failed
// with EMFILE is counted as the harness's, never as the stack's refusal.
import test from 'ava';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BIN, copyFixture, readResult } from '../cli/helpers.ts';

test('sends that failed for want of file descriptors make the run inconclusive, each one counted', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mailstorm-fd-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const scenario = await copyFixture(dir, 'fd-exhaust-scenario.ts', 'fd.ts');
  const out = path.join(dir, 'out');
  // A low limit, so the fixture's setup takes every descriptor in a few ms.
  const child = spawn('bash', ['-c', 'ulimit -n 1024 && exec "$0" "$@"', process.execPath, BIN, 'run', scenario, '--quiet', '--out', out], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
  const killer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(killer);
  t.is(code, 4, stderr);
  const result = await readResult(out);
  t.is(result.verdict, 'inconclusive');
  const failedToConnect = result.metrics.find((m) => m.name === 'smtp.codes' && m.tags.code === '0')?.values.count ?? 0;
  const exhausted = result.metrics.find((m) => m.name === 'harness.resource_errors' && m.tags.code === 'EMFILE')?.values.count ?? 0;
  t.true(failedToConnect > 0, 'the flow tried to send while the descriptors were held');
  t.is(exhausted, failedToConnect, 'each failed connection was a local EMFILE');
  t.is(result.rig?.figures.harnessResourceErrors, exhausted);
  t.deepEqual(result.rig?.breaches, [{ figure: 'harnessResourceErrors', observed: exhausted, limit: 0 }]);
  // nothing lost: what was accepted arrived; what could not connect was never the stack's
  t.like(result.ledger, { lost: 0, duplicated: 0 });
});
