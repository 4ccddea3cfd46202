// The kill switch: a file the remote config names, or SIGUSR2, stops a run's load within a
// second; the run still tears down and writes its results, saying why it stopped.
import test from 'ava';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunResult } from '../../harness/result-schema.ts';
import { fixtureDir, readResult, runCli, startCli, waitFor } from './helpers.ts';

async function remoteWithKillSwitch(dir: string): Promise<{ config: string; stopFile: string }> {
  const config = path.join(dir, 'kill.yaml');
  const stopFile = path.join(dir, 'STOP');
  await writeFile(config, `allow: [127.0.0.1]\nsubmission: { host: 127.0.0.1, port: 9 }\nkillSwitch: ${stopFile}\n`);
  return { config, stopFile };
}

/** The last second in which the fixture's flow still did work. */
function lastWorkSecond(result: RunResult): number {
  const points = result.series.filter((s) => s.metric === 'fixture_work').flatMap((s) => s.points).filter((p) => p.value > 0);
  return Math.max(...points.map((p) => p.t));
}

test('the kill switch file stops the load within a second; results say why (exit 3)', async (t) => {
  const { dir, scenario } = await fixtureDir(t);
  const { config, stopFile } = await remoteWithKillSwitch(dir);
  const out = path.join(dir, 'out');
  const marker = path.join(dir, 'running');
  const { done } = startCli(['run', scenario, '--stack', 'remote', '--config', config, '--out', out, '--quiet', '--set', 'mode=timed', '--duration', '40s', '--set', `marker=${marker}`], dir);
  await waitFor(marker);
  await sleep(2000);
  const killedAt = Date.now();
  await writeFile(stopFile, '');
  const r = await done;
  t.is(r.code, 3, r.stderr);
  t.true(Date.now() - killedAt < 10_000, `exited ${Date.now() - killedAt} ms after the file appeared`);
  const result = await readResult(out);
  t.is(result.verdict, 'error');
  t.false(result.complete);
  t.is(result.reason, `stopped by the kill switch: ${stopFile} appeared`);
  const killedSecond = (killedAt - Date.parse(result.startedAt)) / 1000;
  t.true(lastWorkSecond(result) <= Math.floor(killedSecond + 1), `work until second ${lastWorkSecond(result)}, kill at ${killedSecond.toFixed(2)} s`);
  t.true(lastWorkSecond(result) >= 1, 'the load ran before the switch');
  t.true(result.stack.notes.includes(`kill switch: ${stopFile}`));
});

test('SIGUSR2 is the kill switch of any run', async (t) => {
  const { dir, scenario, remote } = await fixtureDir(t);
  const out = path.join(dir, 'out');
  const marker = path.join(dir, 'running');
  const { child, done } = startCli(['run', scenario, ...remote, '--out', out, '--quiet', '--set', 'mode=timed', '--duration', '40s', '--set', `marker=${marker}`], dir);
  await waitFor(marker);
  await sleep(1500);
  const killedAt = Date.now();
  child.kill('SIGUSR2');
  const r = await done;
  t.is(r.code, 3, r.stderr);
  t.regex(r.stderr, /SIGUSR2 \(kill switch\): stopping the load/);
  const result = await readResult(out);
  t.is(result.reason, 'stopped by the kill switch: SIGUSR2');
  const killedSecond = (killedAt - Date.parse(result.startedAt)) / 1000;
  t.true(lastWorkSecond(result) <= Math.floor(killedSecond + 1), `work until second ${lastWorkSecond(result)}, kill at ${killedSecond.toFixed(2)} s`);
});

test('a kill switch file that already exists refuses the run before any load (exit 2)', async (t) => {
  const { dir, scenario } = await fixtureDir(t);
  const { config, stopFile } = await remoteWithKillSwitch(dir);
  await writeFile(stopFile, '');
  const out = path.join(dir, 'out');
  const r = await runCli(['run', scenario, '--stack', 'remote', '--config', config, '--out', out, '--quiet'], dir);
  t.is(r.code, 2, r.stderr);
  const result = await readResult(out);
  t.regex(result.reason, /kill switch .*STOP already exists; remove it before the run/);
  t.is(result.series.filter((s) => s.metric === 'fixture_work').length, 0, 'no load ran');
});
