// Gunther's Universal Scalability Law fitted to measured throughput against load:
//   X(N) = λN / (1 + σ(N−1) + κN(N−1))
// σ (contention) and κ (coherency) are bounded at >= 0; the solver is ml-levenberg-marquardt's.
import { levenbergMarquardt } from 'ml-levenberg-marquardt';
import { InputError } from '../engine/errors.ts';

/** Fewer points leave three parameters under-determined (the Go `usl` tool asks the same). */
export const USL_MIN_POINTS = 6;

export interface UslPoint {
  /** load level: concurrent users, VUs or offered rate */
  n: number;
  /** achieved throughput at that load, per second */
  x: number;
}

export interface UslFit {
  lambda: number;
  sigma: number;
  kappa: number;
  /** coefficient of determination of the fit over the points */
  r2: number;
  /** load of peak throughput, √((1−σ)/κ); Infinity when κ is 0 (no retrograde region) */
  nStar: number;
  /** X(N*), or the limit λ/σ when κ is 0 (Infinity when σ is 0 too) */
  peakThroughput: number;
  points: number;
}

export function uslThroughput(fit: Pick<UslFit, 'lambda' | 'sigma' | 'kappa'>, n: number): number {
  return (fit.lambda * n) / (1 + fit.sigma * (n - 1) + fit.kappa * n * (n - 1));
}

export function fitUsl(points: readonly UslPoint[]): UslFit {
  if (points.length < USL_MIN_POINTS) {
    throw new InputError(`a Universal Scalability Law fit needs at least ${USL_MIN_POINTS} load steps with a measured throughput, got ${points.length}`);
  }
  for (const p of points) {
    if (!(p.n > 0) || !(p.x >= 0) || !Number.isFinite(p.n) || !Number.isFinite(p.x)) {
      throw new InputError(`USL fit: every point needs a positive load and a throughput >= 0 (got n=${p.n}, x=${p.x})`);
    }
  }
  // The solver works on parameters of order 1: load scaled by its largest step, throughput by
  // its largest measurement (σ and κ differ by orders of magnitude in their natural units).
  const nMax = Math.max(...points.map((p) => p.n));
  const xMax = Math.max(...points.map((p) => p.x)) || 1;
  const data = { x: points.map((p) => p.n / nMax), y: points.map((p) => p.x / xMax) };
  const smallest = points.reduce((a, b) => (b.n < a.n ? b : a));
  const a0 = (smallest.x / smallest.n) * (nMax / xMax);
  const scaled = scaledModel(1 / nMax);
  let best: { values: number[]; sse: number } | undefined;
  // A few starts: the surface is flat in κ when the data never turn down.
  for (const [s0, k0] of [[0.1, 0.1], [1, 1], [0.01, 0.001], [3, 0], [0, 3]] as const) {
    const result = levenbergMarquardt(data, scaled.model, {
      initialValues: [a0, s0, k0],
      minValues: [0, 0, 0],
      maxValues: [a0 * 100 + 1, 1e6, 1e6],
      jacobianFunction: scaled.jacobian,
      timeout: 5,
      damping: 1e-3,
      maxIterations: 1000,
      errorTolerance: 1e-14,
    });
    const sse = sumSquares(data, scaled.model(result.parameterValues));
    if (!best || sse < best.sse) best = { values: result.parameterValues, sse };
  }
  const [a = 0, sScaled = 0, kScaled = 0] = best!.values;
  // Back to natural units: λ = a·xMax/nMax, σ = s/nMax, κ = k/nMax².
  const lambda = (a * xMax) / nMax;
  const sigma = sScaled / nMax;
  const kappa = kScaled / (nMax * nMax);
  const ssRes = best!.sse * xMax * xMax;
  const mean = points.reduce((a, p) => a + p.x, 0) / points.length;
  const ssTot = points.reduce((a, p) => a + (p.x - mean) ** 2, 0);
  const nStar = kappa > 0 ? Math.sqrt(Math.max(0, 1 - sigma) / kappa) : Infinity;
  const peakThroughput = Number.isFinite(nStar) ? uslThroughput({ lambda, sigma, kappa }, nStar) : sigma > 0 ? lambda / sigma : Infinity;
  return { lambda, sigma, kappa, r2: ssTot > 0 ? 1 - ssRes / ssTot : 1, nStar, peakThroughput, points: points.length };
}

/**
 * The USL in scaled units u = n/nMax: X/xMax = a·u / (1 + s(u − e) + k·u(u − e)), e = 1/nMax,
 * with a = λ·nMax/xMax, s = σ·nMax, k = κ·nMax² (the same curve, parameters of order 1).
 */
function scaledModel(e: number) {
  return {
    model: ([a = 0, s = 0, k = 0]: number[]) => (u: number) => (a * u) / (1 + s * (u - e) + k * u * (u - e)),
    jacobian: ([a = 0, s = 0, k = 0]: number[]) => (u: number) => {
      const d = 1 + s * (u - e) + k * u * (u - e);
      return [u / d, (-a * u * (u - e)) / (d * d), (-a * u * u * (u - e)) / (d * d)];
    },
  };
}

function sumSquares(data: { x: number[]; y: number[] }, f: (u: number) => number): number {
  return data.x.reduce((a, n, i) => a + (f(n) - data.y[i]!) ** 2, 0);
}
