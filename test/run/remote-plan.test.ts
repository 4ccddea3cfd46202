// `mailstorm plan` and the remote stack's caps. A listener that counts accepted connections
// stands in for a platform that must not be touched (remote-plan-sent.test.ts holds the plan
// to what a platform received).
import test from 'ava';
import net from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { LoadPlan } from '../../harness/plan/load-plan.ts';
import { copyFixture, runCli } from '../cli/helpers.ts';

interface Counting { port: number; accepts: () => number; close: () => Promise<void> }

async function countingListener(): Promise<Counting> {
  let accepts = 0;
  const server = net.createServer((socket) => { accepts++; socket.destroy(); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as net.AddressInfo).port, accepts: () => accepts, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function workDir(t: { teardown(fn: () => Promise<void>): void }): Promise<{ dir: string; scenario: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mailstorm-plan-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return { dir, scenario: await copyFixture(dir, 'plan-scenario.ts', 'plan-fixture.ts') };
}

/** A remote config naming smtp and activesync at `port` (activesync as http://127.0.0.1:<httpPort>). */
async function remoteConfig(dir: string, smtpPort: number, httpUrl: string, extra: string[] = []): Promise<string> {
  const file = path.join(dir, `platform-${smtpPort}.yaml`);
  await writeFile(file, ['allow: [127.0.0.1]', `smtp: { host: 127.0.0.1, port: ${smtpPort} }`, `activesync: ${httpUrl}`, ...extra, ''].join('\n'));
  return file;
}

test('plan prints the load per endpoint and its caps, and connects to nothing', async (t) => {
  const { dir, scenario } = await workDir(t);
  const listener = await countingListener();
  t.teardown(listener.close);
  const config = await remoteConfig(dir, listener.port, `http://127.0.0.1:${listener.port}`);
  const text = await runCli(['plan', scenario, '--stack', 'remote', '--config', config], dir);
  t.is(text.code, 0, text.stderr);
  t.regex(text.stdout, /plan: plan-fixture on the remote stack; nothing is sent/);
  t.regex(text.stdout, /^smtp\s+9\s+0\s+5\s+25\s+36\.6 KiB\s+0\s+10\/s, 10 conn$/m, text.stdout);
  t.regex(text.stdout, /^activesync\s+0\s+5\s+4\s+0\s+0 B\s+15\s+10\/s, 10 conn$/m, text.stdout);
  t.regex(text.stdout, /within every cap/);

  const json = await runCli(['plan', scenario, '--stack', 'remote', '--config', config, '--json', '--set', 'rate=4'], dir);
  t.is(json.code, 0, json.stderr);
  const view = JSON.parse(json.stdout) as { load: LoadPlan; caps: Record<string, { rate: number }> };
  const smtp = view.load.endpoints.find((e) => e.endpoint === 'smtp');
  // 4/s for 3 s, plus the one bounce (unpaced: all of it could fall in one second)
  t.like(smtp, { messages: 13, peakMessagesPerSec: 5, bytes: 13 * 1500, peakConnections: 5 });
  t.deepEqual(view.load.executors.map((e) => [e.scenario, e.iterations, e.peakIterationsPerSec]), [['mail', 12, 4], ['sync', 15, 5], ['bounce', 1, null]]);
  t.is(view.load.durationMs, 3000);
  t.is(view.caps['smtp']?.rate, 10);
  t.is(listener.accepts(), 0, 'plan made no connection');
});

test('a run, a suite, a capacity run or a plan above a cap stops before sending: exit 2 naming the endpoint, cap, figure and key', async (t) => {
  const { dir, scenario } = await workDir(t);
  const listener = await countingListener();
  t.teardown(listener.close);
  const config = await remoteConfig(dir, listener.port, `http://127.0.0.1:${listener.port}`);
  const run = await runCli(['run', scenario, '--stack', 'remote', '--config', config, '--set', 'rate=40', '--out', path.join(dir, 'out'), '--quiet'], dir);
  t.is(run.code, 2, run.stdout + run.stderr);
  t.regex(run.stderr, /nothing was sent/);
  t.regex(run.stderr, /smtp: the plan peaks at 41 messages\+requests\/s and caps\.smtp\.rate is 10 \(the default\); raise caps\.smtp\.rate in the --config file/);

  const suiteFile = path.join(dir, 'suite.yaml');
  await writeFile(suiteFile, `name: capped\ndescription: one entry above the caps\nentries:\n  - scenario: ${scenario}\n    set: [httpRate=20]\n`);
  const suite = await runCli(['suite', suiteFile, '--stack', 'remote', '--config', config, '--out', path.join(dir, 'suite'), '--quiet'], dir);
  t.is(suite.code, 2, suite.stdout + suite.stderr);
  t.regex(suite.stderr, /activesync: the plan peaks at 20 messages\+requests\/s and caps\.activesync\.rate is 10/);

  // capacity checks every step: smoke's first default step (25 messages/s) is already over
  const capacity = await runCli(['capacity', 'smoke', '--stack', 'remote', '--config', config, '--out', path.join(dir, 'capacity'), '--quiet'], dir);
  t.is(capacity.code, 2, capacity.stdout + capacity.stderr);
  t.regex(capacity.stderr, /smoke: smtp: the plan peaks at 25 messages\+requests\/s and caps\.smtp\.rate is 10/);

  // a cap written in the config file binds too: 5 SMTP connections against 2
  const tight = await remoteConfig(dir, listener.port, `http://127.0.0.1:${listener.port}`, ['caps: { smtp: { connections: 2 } }']);
  const plan = await runCli(['plan', scenario, '--stack', 'remote', '--config', tight], dir);
  t.is(plan.code, 2);
  t.regex(plan.stdout, /smtp: the plan opens up to 5 connections and caps\.smtp\.connections is 2; raise caps\.smtp\.connections/);
  t.is(listener.accepts(), 0, 'the listener saw no connection');
});

test('plan refuses bad input with a usage error', async (t) => {
  const { dir, scenario } = await workDir(t);
  const noConfig = await runCli(['plan', scenario, '--stack', 'remote'], dir);
  t.is(noConfig.code, 2);
  t.regex(noConfig.stderr, /plan --stack remote needs --config/);
  const badKey = await remoteConfig(dir, 25, 'http://127.0.0.1:1', ['caps: { imap: { rate: 5 } }']);
  const bad = await runCli(['plan', scenario, '--stack', 'remote', '--config', badKey], dir);
  t.is(bad.code, 2);
  t.regex(bad.stderr, /caps\.imap: no endpoint of that name in this config \(endpoints: smtp, activesync\)/);
  // an endpoint the plan loads that the config does not name is said, as the run would fail on it
  const smtpOnly = path.join(dir, 'smtp-only.yaml');
  await writeFile(smtpOnly, 'allow: [127.0.0.1]\nsmtp: { host: 127.0.0.1, port: 25 }\n');
  const partial = await runCli(['plan', scenario, '--stack', 'remote', '--config', smtpOnly], dir);
  t.is(partial.code, 0, partial.stderr);
  t.regex(partial.stdout, /endpoint activesync: the --config file names no such endpoint; the run would stop with a stack error/);
  const unknown = await runCli(['plan', 'no-such-scenario'], dir);
  t.is(unknown.code, 2);
  t.regex(unknown.stderr, /no-such-scenario/);
});
