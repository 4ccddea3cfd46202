// A harness that falls behind must not be blamed on the stack: the same weekend migration
// (same seed, same mailboxes, same embedded stack) once with the harness free and once with
// its event loop blocked for 400 ms every second. The window projection the gate reads comes
// from the movers' service time, so it stays where the free run put it; the wall-time
// projection beside it climbs, and the time the harness held the replay up is reported. The
// rig calls the held-up run inconclusive (it ran seconds behind its schedule) rather than judge it.
// The runs go one after the other, so the free one is not held up by the other.
import test from 'ava';
import type { RunResult } from '../../harness/result-schema.ts';
import { gate, runScenario } from './run-cli.ts';

const FILE = 'test/scenarios/fixtures/held-up-migration.ts';
// 80 accounts, each standing for 22 in the move-time model: about the default window pressure.
const SMALL = ['accounts=80', 'represents=22', 'corruptShare=0', 'duration=30s'];

const figure = (r: RunResult, name: string): number => Number(r.figures[name]?.value);
const replayLagMax = (r: RunResult): number => Number(r.metrics.find((m) => m.name === 'replay_lag')?.values['max']);

test('a held-up harness leaves the service-time projection where a free one put it; the wall projection climbs', async (t) => {
  t.timeout(200_000);
  const free = await runScenario(FILE, SMALL);
  const held = await runScenario(FILE, [...SMALL, 'holdUpMs=400']);
  t.is(free.code, 0, free.stderr);
  t.is(free.result.verdict, 'pass');
  // The rig sees the replay ran seconds behind its schedule and withholds the verdict (exit 4);
  // the figures below show the projection it would have judged on stayed honest.
  t.is(held.code, 4, held.stderr);
  t.is(held.result.verdict, 'inconclusive');
  t.deepEqual(held.result.rig?.breaches.map((b) => b.figure), ['replayLagP95Ms']);
  for (const run of [free, held]) t.is(figure(run.result, 'accounts_moved_verified'), 80);
  const service = { free: gate(free.result, 'migration_projected_ratio').observed ?? NaN, held: gate(held.result, 'migration_projected_ratio').observed ?? NaN };
  const wall = { free: figure(free.result, 'migration_projected_ratio_wall'), held: figure(held.result, 'migration_projected_ratio_wall') };
  const heldUp = { free: figure(free.result, 'harness_held_up_seconds'), held: figure(held.result, 'harness_held_up_seconds') };
  const seen = JSON.stringify({ service, wall, heldUp });
  t.is(figure(held.result, 'migration_projected_ratio'), service.held, 'the figure is the gate\'s value');
  t.true(service.held < 1, `the gate would pass: ${seen}`);
  t.true(Math.abs(service.held - service.free) <= 0.1 * service.free, `service-time projection within 10% of the free run: ${seen}`);
  t.true(wall.held > service.held * 1.15, `the wall projection blames the harness's stalls on the stack: ${seen}`);
  t.true(wall.held > wall.free, seen);
  t.true(heldUp.held > heldUp.free + 5, `the held-up run says the harness held it up for longer: ${seen}`);
  t.true(replayLagMax(held.result) > replayLagMax(free.result), `replay_lag max ${replayLagMax(held.result)} vs ${replayLagMax(free.result)}`);
  const checkpoints = held.result.events.filter((e) => e.type === 'checkpoint');
  t.true(checkpoints.length > 0 && checkpoints.every((e) => e['verdict'] === 'go'), 'go at every checkpoint');
  t.true(checkpoints.every((e) => typeof e['wallRatio'] === 'number' && typeof e['harnessHeldUpSeconds'] === 'number'), 'each checkpoint carries the wall projection and the hold-up');
});
