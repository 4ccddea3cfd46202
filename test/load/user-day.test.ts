// user-day through the real command: every planned task of the day is achieved on the
// embedded stack, counted per task, with the imaptest mix's commands recorded per command.
import test from 'ava';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../cli/helpers.ts';
import type { RunResult } from '../../harness/result-schema.ts';
import { allMetricsDeclared } from '../scenarios/declared.ts';

test('a small user day achieves every planned task and records the IMAP mix per command', async (t) => {
  const out = await mkdtemp(path.join(os.tmpdir(), 'mailstorm-user-day-'));
  t.teardown(() => rm(out, { recursive: true, force: true }));
  const run = await runCli(['run', 'user-day', '--set', 'users=2', '--set', 'duration=16s', '--out', out, '-q'], process.cwd());
  t.is(run.code, 0, run.stdout + run.stderr);
  const result = JSON.parse(await readFile(path.join(out, 'result.json'), 'utf8')) as RunResult;
  const count = (name: string, tags: Record<string, string>) => result.metrics.filter((m) => m.name === name && Object.entries(tags).every(([k, v]) => m.tags[k] === v)).reduce((a, m) => a + (m.values['count'] ?? 0), 0);
  // average profile, 2 users, 8 simulated hours: 20 sends, 60 inbound, 112 sessions, 32 pings
  t.is(count('user_day.tasks', { task: 'send', outcome: 'achieved' }), 20);
  t.is(count('user_day.tasks', { task: 'inbound', outcome: 'achieved' }), 60);
  t.is(count('user_day.tasks', { task: 'imap', outcome: 'achieved' }), 112);
  t.is(count('user_day.tasks', { task: 'ping', outcome: 'achieved' }), 32);
  t.is(count('imap.commands', { command: 'LOGIN' }), 112);
  t.is(count('imap.commands', { command: 'SELECT' }), 112);
  t.is(count('imap.state_errors', {}), 0);
  allMetricsDeclared(t, result);
  t.is(result.figures['tasks_achieved']?.value, 224);
  t.regex(result.figures['tasks_achieved']?.note ?? '', /of 224 planned/);
  t.is(result.ledger?.lost, 0);
  t.is(result.ledger?.delivered, 80);
  t.true(result.gates.find((g) => g.metric === 'tasks_achieved_ratio')?.ok);
});
