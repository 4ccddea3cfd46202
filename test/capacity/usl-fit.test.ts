import test from 'ava';
import { fitUsl, uslThroughput, USL_MIN_POINTS } from '../../capacity/usl-fit.ts';
import { seededRandom } from '../../engine/random.ts';

// The loads reach past every N* below: κ is only determined by data that bends over.
const LOADS = [1, 2, 4, 8, 16, 24, 32, 48, 64, 96, 128];

for (const truth of [
  { lambda: 120, sigma: 0.05, kappa: 0.0008 },
  { lambda: 900, sigma: 0.02, kappa: 0.0002 },
  { lambda: 15, sigma: 0.3, kappa: 0.005 },
]) {
  test(`recovers σ=${truth.sigma} and κ=${truth.kappa} from throughput with 1 % noise`, (t) => {
    const random = seededRandom(11);
    const points = LOADS.map((n) => ({ n, x: uslThroughput(truth, n) * (1 + 0.02 * (random.next() - 0.5)) }));
    const fit = fitUsl(points);
    t.true(Math.abs(fit.sigma - truth.sigma) <= 0.1 * truth.sigma + 0.002, `σ ${fit.sigma} vs ${truth.sigma}`);
    t.true(Math.abs(fit.kappa - truth.kappa) <= 0.15 * truth.kappa, `κ ${fit.kappa} vs ${truth.kappa}`);
    t.true(Math.abs(fit.lambda - truth.lambda) <= 0.05 * truth.lambda, `λ ${fit.lambda} vs ${truth.lambda}`);
    t.true(fit.r2 > 0.99);
    const nStar = Math.sqrt((1 - truth.sigma) / truth.kappa);
    t.true(Math.abs(fit.nStar - nStar) <= 0.1 * nStar, `N* ${fit.nStar} vs ${nStar}`);
    t.is(fit.points, LOADS.length);
  });
}

test('linear scaling fits σ and κ of 0, never negative', (t) => {
  const fit = fitUsl([1, 2, 3, 4, 5, 6].map((n) => ({ n, x: 50 * n })));
  t.true(fit.sigma >= 0 && fit.sigma < 1e-3);
  t.true(fit.kappa >= 0 && fit.kappa < 1e-4);
  t.true(Math.abs(fit.lambda - 50) < 0.5);
});

test(`refuses fewer than ${USL_MIN_POINTS} points, saying how many it got`, (t) => {
  const error = t.throws(() => fitUsl([1, 2, 3, 4, 5].map((n) => ({ n, x: n }))));
  t.regex(error!.message, /at least 6 load steps.*got 5/);
});

test('refuses a point without a positive load', (t) => {
  const error = t.throws(() => fitUsl([0, 1, 2, 3, 4, 5].map((n) => ({ n, x: n }))));
  t.regex(error!.message, /positive load.*n=0/);
});
