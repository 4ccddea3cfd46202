// The weekend-migration model without a stack: projection and verdict rules, phases, the
// integrity check, and the parameters' time compression and rounding of corrupt mailboxes.
import test from 'ava';
import { MigrationProgress, phaseOf, phaseSizes, projectDuration, verdictFor } from '../../scenarios/weekend-migration/checkpoint.ts';
import { serviceElapsedMs, type MigrationData } from '../../scenarios/weekend-migration/state.ts';
import { verify, type SourceMessage } from '../../scenarios/weekend-migration/mover.ts';
import { compression, corruptMailboxes, scaleWeekendMigration, weekendMigrationParams } from '../../scenarios/weekend-migration/params.ts';
import { modelledMoveMs } from '../../scenarios/weekend-migration/flows.ts';

const HOUR = 3_600_000;

test('projection extrapolates the throughput so far; nothing done projects never', (t) => {
  t.is(projectDuration(0, 100, HOUR), Infinity);
  t.is(projectDuration(25, 100, 2 * HOUR), 8 * HOUR);
  t.is(projectDuration(100, 100, 5 * HOUR), 5 * HOUR);
});

test('verdicts: go inside the window, no-go at an interim overrun, roll back at a phase end or a large overrun', (t) => {
  t.is(verdictFor(0.6, 'interim', 1.25), 'go');
  t.is(verdictFor(1, 'phase', 1.25), 'go');
  t.is(verdictFor(1.1, 'interim', 1.25), 'no-go');
  t.is(verdictFor(1.1, 'phase', 1.25), 'roll back');
  t.is(verdictFor(2.5, 'interim', 1.25), 'roll back');
  t.is(verdictFor(Infinity, 'final', 1.25), 'roll back');
});

test('progress: phase completion and checkpoints against a 48-hour window', (t) => {
  const progress = new MigrationProgress(phaseSizes(2200, 11), 48 * HOUR, 1.25);
  t.is(progress.total, 2200);
  t.is(progress.checkpoint('interim', HOUR), undefined, 'no checkpoint before the first account');
  let completed: number | undefined;
  for (let i = 0; i < 200; i++) completed = progress.accountFinished(phaseOf(i, progress.phaseSizes)) ?? completed;
  t.is(completed, 1);
  // 200 accounts in 2.7 h -> 29.7 h for 2,200: go.
  const fast = progress.checkpoint('phase', 2.7 * HOUR, 1);
  t.is(fast?.verdict, 'go');
  t.true(Math.abs((fast?.projectedMs ?? 0) / HOUR - 29.7) < 0.01);
  // The same 200 accounts in 10 h (2004's concurrency) -> 110 h: roll back.
  t.is(progress.checkpoint('phase', 10 * HOUR, 1)?.verdict, 'roll back');
  t.is(progress.checkpoints.length, 2);
});

test('phases split accounts as evenly as whole numbers allow', (t) => {
  const sizes = phaseSizes(2200, 11);
  t.deepEqual(sizes, Array(11).fill(200));
  const uneven = phaseSizes(10, 3);
  t.deepEqual(uneven, [3, 3, 4]);
  t.deepEqual([0, 2, 3, 5, 6, 9].map((i) => phaseOf(i, uneven)), [0, 0, 1, 1, 2, 2]);
  t.deepEqual(phaseSizes(2, 11), [1, 1]);
});

const msg = (uid: number, hash: string, flags: string[] = ['\\Seen']): SourceMessage => ({ uid, hash, flags, source: Buffer.from(hash) });

test('verify finds missing, duplicated and flag-changed copies and ignores live mail on the target', (t) => {
  const source = [msg(1, 'a'), msg(2, 'b'), msg(3, 'c', ['\\Flagged', '\\Seen'])];
  t.deepEqual(verify(source, [{ hash: 'a', flags: ['\\Seen'] }, { hash: 'b', flags: ['\\Seen'] }, { hash: 'c', flags: ['\\Flagged', '\\Seen'] }, { hash: 'live', flags: [] }]),
    { missing: 0, duplicated: 0, flagsLost: 0 });
  t.deepEqual(verify(source, [{ hash: 'a', flags: ['\\Seen'] }, { hash: 'a', flags: ['\\Seen'] }, { hash: 'c', flags: ['\\Seen'] }]),
    { missing: 1, duplicated: 1, flagsLost: 1 });
});

test('defaults: the weekend in 120 s, one corrupt mailbox of 2,200 still allows 99.95%, 8 movers fit the window and 2 do not', (t) => {
  const p = weekendMigrationParams.parse({});
  t.is(compression(p), (48 * HOUR) / 120_000);
  t.is(corruptMailboxes(p), 1);
  t.true((p.accounts - corruptMailboxes(p)) / p.accounts >= p.minSuccessPct / 100);
  // Mean messages of a log-normal mailbox: median * exp(sigma^2 / 2).
  const meanMove = modelledMoveMs(p, p.seedMedianMessages * Math.exp((p.seedSigma ** 2) / 2));
  const hoursWith = (movers: number) => (p.accounts * meanMove) / movers / HOUR;
  t.true(hoursWith(8) < 0.75 * p.windowHours, `8 movers: ${hoursWith(8).toFixed(1)} h`);
  t.true(hoursWith(2) > p.rollbackRatio * p.windowHours, `2 movers: ${hoursWith(2).toFixed(1)} h`);
  const scaled = scaleWeekendMigration(p, 10);
  t.is(scaled.accounts, 22_000);
  t.is(scaled.movers, 80);
  t.is(compression(scaled), compression(p) / 10);
});

test('--scale 0.125 keeps each mover\'s share of the window: 8 movers become 1 as they are, 2 become 1 standing for 4 times the accounts and still overrun', (t) => {
  const meanMessages = 2 * Math.exp(0.5);
  // Modelled hours the busiest mover needs: accounts per mover x the modelled move of a mean mailbox.
  const hours = (q: ReturnType<typeof weekendMigrationParams.parse>) => (q.accounts / q.movers) * modelledMoveMs(q, meanMessages) / HOUR;
  const protectedRun = weekendMigrationParams.parse({ movers: 8 });
  const protectedScaled = scaleWeekendMigration(protectedRun, 0.125);
  t.is(protectedScaled.movers, 1);
  t.is(protectedScaled.accounts, 275);
  t.is(protectedScaled.represents, 1);
  t.is(hours(protectedScaled).toFixed(6), hours(protectedRun).toFixed(6));
  const incident = weekendMigrationParams.parse({ movers: 2 });
  const incidentScaled = scaleWeekendMigration(incident, 0.125);
  t.is(incidentScaled.movers, 1);
  t.is(incidentScaled.accounts, 275);
  t.is(incidentScaled.represents, 4);
  t.is(hours(incidentScaled).toFixed(6), hours(incident).toFixed(6));
  t.true(hours(incidentScaled) > incident.rollbackRatio * incident.windowHours, `${hours(incidentScaled).toFixed(1)} h`);
  // Rounding down (8 x 0.17 = 1.36 movers -> 1) makes each account stand for fewer real ones.
  const down = scaleWeekendMigration(protectedRun, 0.17);
  t.is(down.movers, 1);
  t.is(Number(down.represents.toFixed(4)), Number((1 / 1.36).toFixed(4)));
});

test('a simulated account standing for 8 real ones takes 8 times as long to move', (t) => {
  const p = weekendMigrationParams.parse({});
  const q = weekendMigrationParams.parse({ represents: 8 });
  t.is(modelledMoveMs(q, 3), 8 * modelledMoveMs(p, 3));
  t.is(modelledMoveMs(p, 2), (60 + (2 * 500) / 5) * 1000);
});

test('service time is the busiest mover\'s, even while a lower-numbered mover has finished nothing', (t) => {
  const occupiedSimMs: number[] = [];
  occupiedSimMs[4] = 7_200_000; // mover 5 finished first: indices 0..3 are holes
  t.is(serviceElapsedMs({ occupiedSimMs } as MigrationData), 7_200_000);
  t.is(serviceElapsedMs({ occupiedSimMs: [] } as unknown as MigrationData), 0);
});
