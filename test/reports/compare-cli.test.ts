// Runs the real command: `node bin/mailstorm.js compare ...`, and checks exit codes,
// the printed table and the files it writes.
import test from 'ava';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixturePath, tempDir } from './fixtures.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function mailstorm(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(root, 'bin', 'mailstorm.js'), ...args], { cwd: root, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

test('a worse p99 exits 1 and prints the regression rows', async (t) => {
  const out = await tempDir('cli');
  const run = await mailstorm('compare', fixturePath('storm-baseline'), fixturePath('storm-worse-p99'), '--out', out);
  t.is(run.code, 1, run.stderr);
  t.regex(run.stdout, /delivery_latency\{flow:background\} p\(99\)\s+33\.3s\s+53\.1s\s+\+19\.8s \(\+59\.4%\)\s+REGRESSION \(worse by more than 10%\)/);
  t.regex(run.stdout, /REGRESSION: 4 rows broke the rules\./);
  t.true((await readFile(join(out, 'compare.md'), 'utf8')).includes('❌ regression: worse by more than 10%'));
  t.true((await readFile(join(out, 'compare.html'), 'utf8')).startsWith('<!doctype html>'));
});

test('a lost message exits 1; a looser rule set by flags lets the worse p99 pass', async (t) => {
  const out = await tempDir('cli');
  const lost = await mailstorm('compare', fixturePath('storm-baseline'), fixturePath('storm-lost-message'), '--out', out);
  t.is(lost.code, 1, lost.stderr);
  t.regex(lost.stdout, /messages lost\s+0\s+1\s+\+1\s+REGRESSION \(a new lost message\)/);
  const loose = await mailstorm('compare', fixturePath('storm-baseline'), fixturePath('storm-worse-p99'), '--out', out, '--latency-tolerance', '75%');
  t.is(loose.code, 0, loose.stderr);
  t.regex(loose.stdout, /No regression\./);
});

test('identical inputs exit 0; suites are compared scenario by scenario', async (t) => {
  const out = await tempDir('cli');
  const same = await mailstorm('compare', fixturePath('suite-pre-upgrade'), fixturePath('suite-pre-upgrade'), '--out', out);
  t.is(same.code, 0, same.stderr);
  t.regex(same.stdout, /== reply-all-storm:/);
  t.regex(same.stdout, /== weekend-migration:/);
});

test('mismatched or unreadable inputs exit 2 and say what differs', async (t) => {
  const out = await tempDir('cli');
  const scenarios = await mailstorm('compare', fixturePath('storm-baseline'), fixturePath('migration'), '--out', out);
  t.is(scenarios.code, 2);
  t.is(scenarios.stderr, 'mailstorm compare: different scenarios: baseline ran "reply-all-storm", candidate ran "weekend-migration"\n');
  const versions = await mailstorm('compare', fixturePath('storm-baseline'), fixturePath('storm-schema-v2'), '--out', out);
  t.is(versions.code, 2);
  t.regex(versions.stderr, /different result schema versions: baseline .* is v1, candidate .* is v2/);
  const flag = await mailstorm('compare', fixturePath('storm-baseline'), fixturePath('storm-baseline'), '--out', out, '--rate-tolerance', 'lots');
  t.is(flag.code, 2);
  t.regex(flag.stderr, /--rate-tolerance: "lots" is not a number of percentage points/);
});
