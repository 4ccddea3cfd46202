import test from 'ava';
import path from 'node:path';
import { fixtureDir, readJunit, readResult, startCli, waitFor } from './helpers.ts';

test('SIGINT mid-run still writes result.json and junit.xml with complete:false', async (t) => {
  const { dir, scenario, remote } = await fixtureDir(t);
  const out = path.join(dir, 'out');
  const marker = path.join(dir, 'running');
  const { child, done } = startCli(['run', scenario, ...remote, '--out', out, '--quiet', '--set', 'mode=timed', '--duration', '40s', '--set', `marker=${marker}`], dir);
  await waitFor(marker);
  child.kill('SIGINT');
  const r = await done;
  t.is(r.code, 130, r.stderr);
  const result = await readResult(out);
  t.false(result.complete);
  t.regex(result.reason, /SIGINT/);
  t.is(result.verdict, 'error');
  t.regex(await readJunit(out), /run incomplete: interrupted by SIGINT/);
});

test('a SIGINT while setup still runs tears that setup down once it has finished', async (t) => {
  const { dir, scenario, remote } = await fixtureDir(t);
  const out = path.join(dir, 'out');
  const marker = path.join(dir, 'running');
  const { child, done } = startCli(['run', scenario, ...remote, '--out', out, '--quiet', '--set', 'mode=timed', '--duration', '40s',
    '--set', `marker=${marker}`, '--set', 'setupMs=2000'], dir);
  await waitFor(marker);
  child.kill('SIGINT');
  const r = await done;
  t.is(r.code, 130, r.stderr);
  await waitFor(`${marker}-teardown`, 1000); // written by the teardown, before the process ended
  const result = await readResult(out);
  t.false(result.complete);
  t.regex(result.reason, /interrupted by SIGINT/);
});

test('a second SIGINT exits at once, still writing result.json and junit.xml', async (t) => {
  const { dir, scenario, remote } = await fixtureDir(t);
  const out = path.join(dir, 'out');
  const marker = path.join(dir, 'running');
  const { child, done } = startCli(['run', scenario, ...remote, '--out', out, '--quiet', '--set', 'mode=timed', '--duration', '40s',
    '--set', `marker=${marker}`, '--set', 'teardownMs=30000'], dir);
  await waitFor(marker);
  child.kill('SIGINT');
  // The scenario's teardown now takes 30 s; a second Ctrl-C must not wait for it.
  await waitFor(`${marker}-teardown`);
  child.kill('SIGINT');
  const r = await done;
  t.is(r.code, 130, r.stderr);
  t.regex(r.stderr, /exiting now/);
  const result = await readResult(out);
  t.false(result.complete);
  t.regex(result.reason, /interrupted by SIGINT; interrupted twice by SIGINT; teardown skipped/);
  t.regex(await readJunit(out), /run incomplete/);
});
