// The reply-all arrival model on its own: a self-exciting process, checked against what
// theory says of it (Poisson without excitation, mean cluster size 1/(1-n) below
// criticality, growth above it), with fixed seeds so every figure is reproducible.
import test from 'ava';
import { seededRandom } from '../../engine/random.ts';
import {
  branchingOf, meanBranching, SelfExcitingProcess, simulateStorm, type StormModel,
} from '../../scenarios/reply-all-storm/self-exciting.ts';
import { replyAllStormParams, scaleReplyAllStorm, sendsPerSec, inboundPerSec, REAL_SCALE, INCIDENT_ACCOUNTS } from '../../scenarios/reply-all-storm/params.ts';
import { stormModel } from '../../scenarios/reply-all-storm/storm-driver.ts';
import { replyAllStorm } from '../../scenarios/reply-all-storm/index.ts';
import { InputError } from '../../engine/errors.ts';

const quiet: StormModel = { baseRatePerMin: 2, decayMinutes: 3, branching: 0, removeMeShare: 0, removeMeExcitation: 1 };

test('without excitation the replies are a Poisson stream at the base rate', (t) => {
  let total = 0;
  const runs = 40;
  for (let seed = 1; seed <= runs; seed++) total += simulateStorm(quiet, 100, 10_000, seededRandom(seed)).length;
  const mean = total / runs; // expected 200, standard error sqrt(200/40) ~ 2.2
  t.true(Math.abs(mean - 200) < 12, `mean ${mean}`);
});

test('below criticality one reading causes 1/(1-n) replies on average', (t) => {
  const model: StormModel = { ...quiet, baseRatePerMin: 0.5, branching: 0.5 };
  let total = 0;
  const runs = 60;
  for (let seed = 1; seed <= runs; seed++) total += simulateStorm(model, 200, 10_000, seededRandom(seed)).length;
  const mean = total / runs; // expected about 0.5 * 200 / (1 - 0.5) = 200, less the clusters cut at the horizon
  t.true(mean > 170 && mean < 230, `mean ${mean}`);
});

test('"remove me" replies excite more, and the mix sets the mean branching ratio', (t) => {
  const model: StormModel = { ...quiet, branching: 1.2, removeMeShare: 0.25, removeMeExcitation: 1.6 };
  t.is(branchingOf(model, 'reply-all'), 1.2);
  t.true(Math.abs(branchingOf(model, 'remove-me') - 1.92) < 1e-9);
  t.true(Math.abs(meanBranching(model) - (0.75 * 1.2 + 0.25 * 1.92)) < 1e-9);
});

test('above criticality the storm grows until the bound stops it', (t) => {
  const model = stormModel(replyAllStormParams.parse({}));
  t.true(meanBranching(model) > 1, 'the default storm is supercritical');
  let capped = 0;
  for (let seed = 1; seed <= 20; seed++) {
    const replies = simulateStorm(model, 60, 300, seededRandom(seed));
    t.true(replies.length <= 300);
    if (replies.length === 300) capped++;
    // Self-excitation: the second half of the replies comes faster than the first.
    if (replies.length >= 40) {
      const mid = replies[Math.floor(replies.length / 2)]?.at ?? 0;
      const first = mid - (replies[0]?.at ?? 0);
      const second = (replies.at(-1)?.at ?? 0) - mid;
      t.true(second < first, `seed ${seed}: ${first.toFixed(1)} vs ${second.toFixed(1)} minutes`);
    }
  }
  t.true(capped >= 10, `${capped} of 20 storms reached the bound in an hour`);
});

test('the same seed gives the same storm, another seed another', (t) => {
  const model = stormModel(replyAllStormParams.parse({}));
  const a = simulateStorm(model, 30, 300, seededRandom(5));
  const b = simulateStorm(model, 30, 300, seededRandom(5));
  const c = simulateStorm(model, 30, 300, seededRandom(6));
  t.deepEqual(a, b);
  t.notDeepEqual(a, c);
});

test('excitation jumps by branching/decay and fades with the decay time', (t) => {
  const p = new SelfExcitingProcess({ baseRatePerMin: 1, decayMinutes: 2 });
  t.is(p.intensity(0), 1);
  p.excite(10, 4);
  t.is(p.intensity(10), 3);
  t.true(Math.abs(p.intensity(12) - (1 + 2 / Math.E)) < 1e-9);
  t.true(p.intensity(100) - 1 < 1e-9);
});

test('next() finds nothing past its limit and nothing at all at rate zero', (t) => {
  const random = seededRandom(1);
  const silent = new SelfExcitingProcess({ baseRatePerMin: 0, decayMinutes: 1 });
  t.is(silent.next(0, 1_000, random), undefined);
  const p = new SelfExcitingProcess({ baseRatePerMin: 1, decayMinutes: 1 });
  for (let i = 0; i < 100; i++) {
    const at = p.next(i, i + 0.5, random);
    t.true(at === undefined || (at > i && at <= i + 0.5));
  }
  t.throws(() => new SelfExcitingProcess({ baseRatePerMin: -1, decayMinutes: 1 }), { instanceOf: RangeError });
  t.throws(() => new SelfExcitingProcess({ baseRatePerMin: 1, decayMinutes: 0 }), { instanceOf: RangeError });
});

test('background rates follow the per-day profile, time-compressed', (t) => {
  const p = replyAllStormParams.parse({});
  // 600 users x 40 a day x 60 compression / 86,400 s
  t.true(Math.abs(sendsPerSec(p) - (600 * 40 * 60) / 86_400) < 1e-9);
  // received 100 a day, 40 x 1.5 of them internal: 40 a day from outside
  t.true(Math.abs(inboundPerSec(p) - (600 * 40 * 60) / 86_400) < 1e-9);
});

test('--scale 60 grows the list to the platform\'s 1.2 million accounts', (t) => {
  const p = scaleReplyAllStorm(replyAllStormParams.parse({}), REAL_SCALE);
  t.is(p.listMembers, INCIDENT_ACCOUNTS);
  t.is(p.deliveryRatePerSec, 20_000 * REAL_SCALE);
  t.notThrows(() => replyAllStormParams.parse(p));
});

test('background users must be list members, and the storm must end within the run', (t) => {
  const spec = (set: Record<string, unknown>) => () => replyAllStorm.stack?.(replyAllStormParams.parse(set));
  t.throws(spec({ listMembers: 1000, backgroundUsers: 2000 }), { instanceOf: InputError, message: /backgroundUsers=2000.*listMembers \(1000\)/ });
  t.throws(spec({ stormMinutes: 60 }), { instanceOf: InputError, message: /stormMinutes=60/ });
  const protectedSpec = replyAllStorm.stack?.(replyAllStormParams.parse({}));
  // The stack runs in real time: Exchange Online's 60-minute window and 6-hour block, divided by the compression.
  t.deepEqual(protectedSpec?.mta?.stormProtection, { minRecipients: 2500, minReplyAlls: 10, windowMs: 60_000, blockMs: 360_000 });
  t.is(replyAllStorm.stack?.(replyAllStormParams.parse({ stormProtection: false }))?.mta?.stormProtection, false);
});
