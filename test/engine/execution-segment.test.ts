import test from 'ava';
import { ManualClock } from '../../engine/clock.ts';
import { InputError } from '../../engine/errors.ts';
import {
  ExecutionTuple,
  evenSequence,
  parseExecutionSegment,
  parseExecutionSegmentSequence,
  runExecutors,
  segmentString,
  sequenceString,
} from '../../engine/executors/index.ts';
import type { ExecutorConfig } from '../../engine/options/types.ts';
import { advance, depsFor, total } from './helpers.ts';

const UNEVEN = '0,0.3,0.5,0.6,0.7,0.8,0.9,1';

function tuples(sequenceText: string): ExecutionTuple[] {
  const sequence = parseExecutionSegmentSequence(sequenceText);
  return sequence.map((segment) => new ExecutionTuple(segment, sequence));
}

test('striping gives each segment the indices k6 gives it (k6 GetStripedOffsets cases)', (t) => {
  const owned = Object.fromEntries(tuples(UNEVEN).map((tuple) => [tuple.toString(), tuple.owned]));
  t.deepEqual(owned, {
    '0:3/10': [0, 4, 7],
    '3/10:1/2': [1, 5],
    '1/2:3/5': [2],
    '3/5:7/10': [3],
    '7/10:4/5': [6],
    '4/5:9/10': [8],
    '9/10:1': [9],
  });
  const other = tuples('0,0.2,0.5,0.6,0.7,0.8,0.9,1');
  t.deepEqual(other[0]?.owned, [1, 5], '0:0.2 starts at 1 with offsets 4, 6 in k6');
  t.is(other[0]?.lcd, 10);
  t.deepEqual(tuples('0,1/3,2/3,1').map((x) => x.owned), [[0], [1], [2]]);
});

test('scaling a value over every segment of a sequence adds up to the value, and never shrinks as the value grows', (t) => {
  for (const text of ['0,1/2,1', '0,1/3,2/3,1', UNEVEN, '0,1/7,3/7,1', sequenceString(evenSequence(5))]) {
    const all = tuples(text);
    const last = all.map(() => 0);
    for (let value = 0; value <= 250; value++) {
      const scaled = all.map((x) => x.scale(value));
      t.is(scaled.reduce((a, b) => a + b, 0), value, `${text} at ${value}`);
      scaled.forEach((s, i) => t.true(s >= (last[i] as number)));
      scaled.forEach((s, i) => (last[i] = s));
    }
  }
});

test('globalIndex lists exactly the indices a segment owns, in order', (t) => {
  for (const tuple of tuples(UNEVEN)) {
    const mine = Array.from({ length: 100 }, (_, i) => i).filter((i) => tuple.owns(i));
    t.deepEqual(Array.from({ length: mine.length }, (_, k) => tuple.globalIndex(k)), mine);
    t.is(tuple.scale(100), mine.length);
  }
});

test('segments parse as k6 spells them, and bad ones are refused with the flag named', (t) => {
  t.is(segmentString(parseExecutionSegment('1/2:3/4')), '1/2:3/4');
  t.is(segmentString(parseExecutionSegment('50%:75%')), '1/2:3/4');
  t.is(segmentString(parseExecutionSegment('0.5:0.75')), '1/2:3/4');
  t.is(segmentString(parseExecutionSegment('1/5')), '0:1/5', 'a single value is the end of a first segment');
  t.is(segmentString(parseExecutionSegment('')), '0:1');
  t.is(sequenceString(parseExecutionSegmentSequence('0,1/3,2/3,1')), '0,1/3,2/3,1');
  t.true(new ExecutionTuple().full);
  t.false(new ExecutionTuple(parseExecutionSegment('0:1/2')).full);
  const cases: [() => unknown, RegExp][] = [
    [() => parseExecutionSegment('3/4:1/2'), /--execution-segment: start 3\/4 must be less than end 1\/2/],
    [() => parseExecutionSegment('0:5/4'), /end 5\/4 is more than 1/],
    [() => parseExecutionSegment('half'), /"half" is not a percentage, decimal or fraction/],
    [() => parseExecutionSegment('1/0'), /divides by zero/],
    [() => parseExecutionSegmentSequence('1/2'), /--execution-segment-sequence: at least 2 points/],
    [() => new ExecutionTuple(parseExecutionSegment('0:1/4'), parseExecutionSegmentSequence('0,1/3,1')), /0:1\/4 is not in --execution-segment-sequence 0,1\/3,1/],
  ];
  for (const [fn, message] of cases) t.true(t.throws(fn, { instanceOf: InputError }).message.match(message) !== null, String(message));
});

test('a segment without a sequence is completed around it, as k6 does', (t) => {
  const tuple = new ExecutionTuple(parseExecutionSegment('1/3:2/3'));
  t.is(sequenceString(tuple.sequence), '0,1/3,2/3,1');
  t.deepEqual(tuple.owned, [1]);
});

interface Recorded {
  starts: string[];
  vus: Set<number>;
  iterations: number;
  dropped: number;
}

/** Runs one scenario on a manual clock for `ms`; records every iteration start. */
async function record(config: ExecutorConfig, ms: number, segment?: ExecutionTuple, keyOf = (vu: number, it: number, at: number) => `${vu}|${it}|${at}`): Promise<Recorded> {
  const clock = new ManualClock(0);
  const starts: string[] = [];
  const vus = new Set<number>();
  const { deps, metrics } = depsFor(clock, {
    f: async ({ vu, iteration, signal }) => {
      starts.push(keyOf(vu, iteration, clock.now()));
      vus.add(vu);
      await clock.sleep(40, signal);
    },
  });
  const handle = runExecutors({ s: { ...config, exec: 'f' } }, segment === undefined ? deps : { ...deps, segment });
  await advance(clock, ms, 10);
  await handle.done;
  return { starts, vus, iterations: total(metrics, 'iterations'), dropped: total(metrics, 'dropped_iterations') };
}

const sorted = (values: Iterable<string>) => [...values].sort();

const EXECUTORS: { name: string; config: ExecutorConfig; ms: number; byIteration?: boolean }[] = [
  { name: 'constant-vus', config: { executor: 'constant-vus', vus: 7, duration: '1s', gracefulStop: '0s' }, ms: 1100 },
  { name: 'per-vu-iterations', config: { executor: 'per-vu-iterations', vus: 7, iterations: 4 }, ms: 600 },
  { name: 'shared-iterations', config: { executor: 'shared-iterations', vus: 6, iterations: 47 }, ms: 1000, byIteration: true },
  {
    name: 'ramping-vus',
    config: { executor: 'ramping-vus', startVUs: 0, gracefulRampDown: '0s', gracefulStop: '0s', stages: [{ target: 11, duration: '1s' }, { target: 4, duration: '700ms' }, { target: 0, duration: '500ms' }] },
    ms: 2400,
  },
  { name: 'constant-arrival-rate', config: { executor: 'constant-arrival-rate', rate: 90, timeUnit: '1s', duration: '2s', preAllocatedVUs: 13 }, ms: 2200, byIteration: true },
  {
    name: 'ramping-arrival-rate',
    config: { executor: 'ramping-arrival-rate', startRate: 0, timeUnit: '1s', preAllocatedVUs: 17, stages: [{ target: 120, duration: '1s' }, { target: 120, duration: '500ms' }, { target: 0, duration: '1s' }] },
    ms: 2700,
    byIteration: true,
  },
];

for (const { name, config, ms, byIteration } of EXECUTORS) {
  test(`${name}: the iterations of N segments together are the unsplit run's, for N = 2, 3, 4 (--workers) and an uneven 7`, async (t) => {
    // Arrival-rate VUs come from a pool (which VU takes an iteration is not part of the
    // schedule), and shared-iterations VUs race for the next one: compare iteration and time.
    const keyOf = byIteration ? (_vu: number, it: number, at: number) => (name === 'shared-iterations' ? `${it}` : `${it}|${at}`) : undefined;
    const whole = await record(config, ms, undefined, keyOf);
    t.true(whole.starts.length > 20, `${whole.starts.length} starts`);
    t.is(whole.dropped, 0);
    for (const text of [sequenceString(evenSequence(2)), sequenceString(evenSequence(3)), sequenceString(evenSequence(4)), UNEVEN]) {
      const parts = await Promise.all(tuples(text).map((tuple) => record(config, ms, tuple, keyOf)));
      const union = parts.flatMap((p) => p.starts);
      t.deepEqual(sorted(union), sorted(whole.starts), `${text}: same iterations at the same times`);
      t.is(new Set(union).size, union.length, `${text}: no iteration run twice`);
      t.is(parts.reduce((sum, p) => sum + p.iterations, 0), whole.iterations, `${text}: iterations counters add up`);
      t.is(parts.reduce((sum, p) => sum + p.dropped, 0), 0);
      const vus = parts.flatMap((p) => [...p.vus]);
      t.is(new Set(vus).size, vus.length, `${text}: VU ids unique across segments`);
      if (!byIteration) t.deepEqual([...new Set(vus)].sort((a, b) => a - b), [...whole.vus].sort((a, b) => a - b), `${text}: the same VUs`);
    }
  });
}

test('an arrival-rate segment starts the iterations of its stripe, so instances interleave', async (t) => {
  const [first, second] = tuples('0,1/2,1');
  const config: ExecutorConfig = { executor: 'constant-arrival-rate', rate: 10, timeUnit: '1s', duration: '1s', preAllocatedVUs: 2 };
  const a = await record(config, 1100, first, (_vu, it, at) => `${it}@${at}`);
  const b = await record(config, 1100, second, (_vu, it, at) => `${it}@${at}`);
  t.deepEqual(a.starts, ['0@0', '2@200', '4@400', '6@600', '8@800']);
  t.deepEqual(b.starts, ['1@100', '3@300', '5@500', '7@700', '9@900']);
});
