// `mailstorm run --workers` through the real command: the same seeded smoke run gives the same
// ledger on one thread and on two workers, and a worker that crashes is a counted error that
// names its execution segment while the run still writes result.json and cannot pass.
import test from 'ava';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { copyFixture, readResult, REPO, runCli } from './helpers.ts';
import type { RunResult } from '../../harness/result-schema.ts';

async function tempDir(t: import('ava').ExecutionContext): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mailstorm-workers-cli-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const count = (r: RunResult, name: string) => r.metrics.filter((m) => m.name === name).reduce((sum, m) => sum + (m.values['count'] ?? 0), 0);

test('smoke --seed 5: --workers 1 and --workers 2 give the same ledger', async (t) => {
  const dir = await tempDir(t);
  const ledgers = [];
  for (const workers of ['1', '2']) {
    const out = path.join(dir, `w${workers}`);
    const cli = await runCli(['run', 'smoke', '--seed', '5', '--workers', workers, '--out', out, '-q'], REPO);
    t.not(cli.code, 3, `--workers ${workers}: ${cli.stderr}`);
    const result = await readResult(out);
    t.is(count(result, 'iterations'), 25, `--workers ${workers}: 5/s for 5 s`);
    t.is(result.rig?.workers?.threads.length, workers === '1' ? undefined : 2);
    // The reports show each worker's segment and the iterations it started, as result.json has them.
    const [md, html] = await Promise.all([readFile(path.join(out, 'report.md'), 'utf8'), readFile(path.join(out, 'report.html'), 'utf8')]);
    for (const report of [md, html]) t.is(report.includes('Worker threads: 2 of 2 ran executors'), workers === '2', `--workers ${workers}: worker table`);
    for (const thread of result.rig?.workers?.threads ?? []) {
      t.true(md.includes(`| ${thread.segment} | ${thread.cpuShare} |`), `report.md row for ${thread.segment}`);
      t.true(html.includes(`<th scope="row">${thread.segment}</th>`) && html.includes(`<td>${thread.iterations}</td>`), `report.html row for ${thread.segment}`);
    }
    const l = result.ledger;
    ledgers.push(l && { expected: l.expected, delivered: l.delivered, lost: l.lost, duplicated: l.duplicated, unexpected: l.unexpected, bounced: l.bounced, deliveredAfterFailure: l.deliveredAfterFailure });
  }
  t.deepEqual(ledgers[0], { expected: 25, delivered: 25, lost: 0, duplicated: 0, unexpected: 0, bounced: 0, deliveredAfterFailure: 0 });
  t.deepEqual(ledgers[1], ledgers[0]);
});

test('a worker that crashes is an error naming its segment; result.json is written and the run does not pass', async (t) => {
  const dir = await tempDir(t);
  const scenario = await copyFixture(dir, 'workers-scenario.ts', 'workers.ts');
  const out = path.join(dir, 'out');
  const cli = await runCli(['run', scenario, '--workers', '2', '--set', 'crashAt=5', '--set', 'iterations=40', '--out', out, '-q'], dir);
  t.is(cli.code, 3, cli.stderr);
  const result = await readResult(out);
  t.is(result.verdict, 'error');
  // The worker that ran iteration 5 said so before it died (events carry their segment).
  const crashing = result.events.find((e) => e.type === 'crashing');
  t.truthy(crashing, 'the crashing iteration was reported');
  const segment = String(crashing?.['segment']);
  t.true(['0:1/2', '1/2:1'].includes(segment), segment);
  const crash = result.errors.find((e) => e.kind === 'WorkerCrash');
  t.is(crash?.count, 1);
  t.regex(crash?.sample ?? '', new RegExp(`execution segment ${segment.replace('/', '\\/')} crashed: fixture worker exploded`));
  t.regex(result.reason, new RegExp(`segment ${segment.replace('/', '\\/')} crashed .*its share of the load is missing`));
  const threads = result.rig?.workers?.threads ?? [];
  t.is(threads.find((w) => w.segment === segment)?.crashed, 'fixture worker exploded');
  const other = threads.find((w) => w.segment !== segment);
  t.is(other?.crashed, undefined);
  // The crashing iteration never completed: of the 40, at most 39 are counted as iterations,
  // and at least the other segment's share.
  const done = count(result, 'iterations');
  t.true(done >= (other?.iterations ?? 0) && done < 40, `${done} iterations completed`);
  t.true(count(result, 'fixture_work') <= 40);
});

test('a bad --workers is a usage error naming it, before anything starts', async (t) => {
  const dir = await tempDir(t);
  for (const [args, message] of [
    [['--workers', '0'], /--workers must be a positive integer or auto, got "0"/],
    [['--workers', '1.5'], /--workers must be a positive integer or auto, got "1.5"/],
    [['--workers', '2', '--execution-segment', '0:1/2'], /--workers 2 with --execution-segment 0:1\/2/],
  ] as const) {
    const out = path.join(dir, args.join('_').replace(/\//g, '-'));
    const cli = await runCli(['run', 'smoke', ...args, '--out', out, '-q'], REPO);
    t.is(cli.code, 2, args.join(' '));
    t.regex(cli.stderr, message);
    t.false(cli.stderr.includes('    at '), 'no stack trace');
    await t.throwsAsync(readResult(out), undefined, 'nothing ran');
  }
});
