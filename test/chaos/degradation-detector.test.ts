import test from 'ava';
import { DegradationDetector } from '../../chaos/degradation-detector.ts';
import { seededRandom } from '../../engine/random.ts';
import { MemoryEventLog } from '../../engine/events.ts';

/** 50 ms latency with ±20 % noise and occasional 4x spikes. */
function noisy(seed: number) {
  const random = seededRandom(seed);
  return () => 50 * (1 + (random.next() - 0.5) * 0.4) * (random.next() < 0.02 ? 4 : 1);
}

test('detects a slow latency ramp early and records one degradation_detected event', (t) => {
  let now = 0;
  const events = new MemoryEventLog(0, () => now);
  const detector = new DegradationDetector({ series: 'delivery_latency', events });
  const sample = noisy(1);
  const rampStart = 600; // quiet for 10 minutes, then +3000 ms over 30 minutes
  let detectedAt: number | undefined;
  for (let s = 0; s < rampStart + 1800; s++) {
    now = s * 1000;
    const value = sample() + (s >= rampStart ? (3000 * (s - rampStart)) / 1800 : 0);
    const d = detector.observe(s, value);
    if (d) detectedAt = s;
  }
  t.truthy(detectedAt);
  t.true(detectedAt! > rampStart, 'not before the ramp');
  t.true(detectedAt! - rampStart < 120, `within 2 minutes of a 30-minute ramp (took ${detectedAt! - rampStart} s)`);
  const recorded = events.all().filter((e) => e.type === 'degradation_detected');
  t.is(recorded.length, 1);
  t.like(recorded[0], { series: 'delivery_latency', tSec: detectedAt });
  t.true((recorded[0]!.slopePerSec as number) > 0, 'a ramp shows a rising slope');
  t.true((recorded[0]!.recent as number) > (recorded[0]!.threshold as number));
});

test('does not fire on noise with spikes over two hours, for several seeds', (t) => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const detector = new DegradationDetector({ series: 'delivery_latency' });
    const sample = noisy(seed);
    for (let s = 0; s < 7200; s++) t.is(detector.observe(s, sample()), undefined, `seed ${seed} second ${s}`);
  }
});

test('an error-rate series with a zero baseline needs the absolute floor to be crossed', (t) => {
  const fired: number[] = [];
  const detector = new DegradationDetector({ series: 'error_rate', minAbsoluteIncrease: 0.02, onDetected: (d) => fired.push(d.tSec) });
  const random = seededRandom(9);
  for (let s = 0; s < 300; s++) detector.observe(s, random.next() < 0.05 ? 0.01 : 0);
  t.deepEqual(fired, []);
  for (let s = 300; s < 400; s++) detector.observe(s, 0.1);
  t.is(fired.length, 1);
  t.true(fired[0]! > 300 && fired[0]! < 330);
  t.is(detector.detection?.series, 'error_rate');
});

test('skips missing samples and needs a warm-up before it can fire', (t) => {
  const detector = new DegradationDetector({ series: 'x', windowSec: 5, warmupSec: 10, confirmSec: 1 });
  for (let s = 0; s < 12; s++) t.is(detector.observe(s, s < 6 ? Number.NaN : 1000), undefined);
});
