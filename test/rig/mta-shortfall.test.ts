// An embedded MTA that falls behind its configured rate because the harness's event loop did
// not run it in time makes the rig overloaded (fakeMtaShortfallShare), so its backlog and the
// 451s that follow are not charged to the stack. The queue below is the fake MTA's own, run by
// real timers; only its pacing clock is stepped, so each late pump is exact.
import test from 'ava';
import { ManualClock, systemClock } from '../../engine/clock.ts';
import { declareAll } from '../../engine/metrics/declare.ts';
import { MetricsRegistry } from '../../engine/metrics/registry.ts';
import { DeliveryQueue } from '../../fakes/smtp/delivery-queue.ts';
import { FAKE_MTA_METRICS } from '../../fakes/smtp/metric-declarations.ts';
import { assessRig, rigFigures } from '../../harness/rig/assess.ts';
import { DEFAULT_RIG_LIMITS } from '../../harness/rig/limits.ts';
import type { ProcessFigures } from '../../harness/rig/types.ts';

const settle = () => new Promise((resolve) => setTimeout(resolve, 30));
const quietProcess: ProcessFigures = { windowMs: 10_000, eventLoopDelayP99Ms: 0, eventLoopDelayMaxMs: 0, harnessCpuShare: 0.5, gcPauseMs: 0, gcShare: 0 };

async function runQueue(lateMs: number) {
  const metrics = new MetricsRegistry({ startedAt: 0, now: () => 0 });
  declareAll(metrics, FAKE_MTA_METRICS);
  const pacing = new ManualClock(0);
  const queue = new DeliveryQueue({ target: { name: 'sink', deliver: () => undefined }, clock: systemClock, pacingClock: pacing, metrics, ratePerSec: 10_000 });
  queue.enqueue({ raw: Buffer.from('Subject: x\r\n\r\n'), from: 'a@nhs.test', acceptedAt: 0 }, Array.from({ length: 100_000 }, (_, i) => `u${i}@nhs.test`));
  await settle();
  for (let step = 0; step < 10; step++) {
    pacing.advance(step === 5 ? lateMs : 100);
    await settle();
  }
  queue.stop();
  return { metrics, delivered: queue.stats.delivered };
}

test('an MTA that kept its pace leaves the rig judged, with a shortfall share of 0', async (t) => {
  const { metrics, delivered } = await runQueue(100);
  t.is(delivered, 10_000);
  const rig = assessRig(rigFigures(quietProcess, metrics), DEFAULT_RIG_LIMITS, []);
  t.is(rig.figures.fakeMtaShortfallShare, 0);
  t.false(rig.overloaded);
});

test('one pump a second late costs 9,000 of 19,000 owed deliveries: the rig is overloaded, naming the figure', async (t) => {
  const { metrics, delivered } = await runQueue(1_000);
  // nine steps on time (1,000 each) and one a second late (1,000 kept, 9,000 lost)
  t.is(delivered, 10_000);
  t.is(metrics.query('mta.pace_shortfall')?.stat('count'), 9_000);
  const rig = assessRig(rigFigures(quietProcess, metrics), DEFAULT_RIG_LIMITS, []);
  t.is(rig.figures.fakeMtaShortfallShare, 0.474); // 9,000 / (9,000 + 10,000)
  t.deepEqual(rig.breaches, [{ figure: 'fakeMtaShortfallShare', observed: 0.474, limit: 0.02 }]);
});

test('a stack without an in-process MTA has no shortfall figure to judge', (t) => {
  const metrics = new MetricsRegistry({ startedAt: 0, now: () => 0 });
  const rig = assessRig(rigFigures(quietProcess, metrics), DEFAULT_RIG_LIMITS, []);
  t.false('fakeMtaShortfallShare' in rig.figures);
  t.false(rig.overloaded);
});
