// The knee rule with steps the harness could not drive: they are skipped, a knee below them
// says it is a lower bound, and no knee says why.
import test from 'ava';
import { findKnee, noKneeReason, KNEE_RULE } from '../../capacity/knee.ts';
import type { StepMeasurement } from '../../capacity/types.ts';

const step = (level: number, assessment: StepMeasurement['assessment'], note: string = assessment): StepMeasurement => ({
  level, offered: level * 10, achieved: level * 10, latency: { p50: 1, p95: 2, p99: 3 }, sloOk: true, queueGrowthPerSec: 0, errors: 0, dropped: 0, verdict: 'pass', assessment, note, dir: `steps/${level}`,
});

test('inconclusive steps above the knee make it a lower bound; a break after them ends the search', (t) => {
  const knee = findKnee([step(1, 'healthy'), step(2, 'healthy'), step(3, 'inconclusive'), step(4, 'inconclusive'), step(5, 'saturated', 'achieved 80.0 %')]);
  t.deepEqual(knee, { level: 2, achieved: 20, rule: KNEE_RULE, undrivenAbove: [3, 4], brokenBy: { level: 5, assessment: 'saturated', note: 'achieved 80.0 %' } });
  // A healthy step after an inconclusive one is the knee, and nothing above it went undriven.
  t.deepEqual(findKnee([step(1, 'healthy'), step(2, 'inconclusive'), step(3, 'healthy')]), { level: 3, achieved: 30, rule: KNEE_RULE });
});

test('no knee says why: the first judged step, and how many steps the harness could not drive', (t) => {
  const undriven = [step(1, 'inconclusive'), step(2, 'inconclusive')];
  t.is(findKnee(undriven), null);
  t.is(noKneeReason(undriven), 'no knee: no step was judged; the harness could not keep up at 2 of 2 steps (inconclusive, skipped by the rule)');
  const broken = [step(1, 'inconclusive'), step(2, 'slo-broken', 'SLO broken (observed 2500)')];
  t.is(findKnee(broken), null);
  t.is(noKneeReason(broken), 'no knee: the first judged step (2) was slo-broken: SLO broken (observed 2500); the harness could not keep up at 1 of 2 steps (inconclusive, skipped by the rule)');
});
