// Ready-made fault patterns from the incidents.
import { parseDuration } from '../engine/duration.ts';
import { InputError } from '../engine/errors.ts';
import type { Duration, FaultStep } from './types.ts';
import { at, down, heal, ramp, timeout } from './builders.ts';

export interface LeakOptions {
  /** when the leak starts; default 0 */
  start?: Duration;
  /** how long it takes to reach its worst */
  over: Duration;
  /** how often the toxics are updated; default 30s */
  every?: Duration;
  /** latency ramp in ms; default 0 -> 3000 */
  latency?: { from?: number; to: number };
  /** bandwidth ramp in KB/s, high to low; default 10000 -> 50; null for none */
  bandwidth?: { from: number; to: number } | null;
  /** occasional stalls: every `every`, a timeout toxic on a share of connections for `hold` */
  timeouts?: { every: Duration; toxicity?: number; hold?: Duration; timeout?: number } | null;
}

/** Most timeout stalls a leak schedules. */
const MAX_STALLS = 100;

/**
 * A slowly worsening device (the 2018 memory leak): latency rises, bandwidth falls, and now
 * and then connections stall, all on one proxy; the toxics stay at their worst until rollback.
 */
export function leak(proxy: string, options: LeakOptions): FaultStep[] {
  const start = parseDuration(options.start ?? 0, 'leak.start');
  const over = parseDuration(options.over, 'leak.over');
  const every = options.every ?? '30s';
  const steps: FaultStep[] = [
    ramp(proxy, 'latency', { from: options.latency?.from ?? 0, to: options.latency?.to ?? 3000, over, every, start, name: 'leak_latency' }),
  ];
  const bw = options.bandwidth === undefined ? { from: 10_000, to: 50 } : options.bandwidth;
  if (bw) steps.push(ramp(proxy, 'bandwidth', { from: bw.from, to: bw.to, over, every, start, name: 'leak_bandwidth' }));
  const stalls = options.timeouts === undefined ? { every: '5m' } : options.timeouts;
  if (stalls) {
    const gap = parseDuration(stalls.every, 'leak.timeouts.every');
    const hold = parseDuration(stalls.hold ?? '10s', 'leak.timeouts.hold');
    if (gap <= 0) throw new InputError('leak.timeouts.every: must be greater than 0');
    const count = Math.floor(over / gap);
    if (count > MAX_STALLS) throw new InputError(`leak.timeouts.every: ${count} stalls is too many (at most ${MAX_STALLS})`);
    for (let i = 1; i <= count; i++) {
      steps.push(at(start + i * gap, timeout(proxy, { timeout: stalls.timeout ?? 5000 }, { name: `leak_stall_${i}`, toxicity: stalls.toxicity ?? 0.1 }), { for: hold }));
    }
  }
  return steps;
}

/** A network partition: every listed proxy goes down at `at` and, with `for`, heals after it. */
export function partition(proxies: readonly string[], options: { at: Duration; for?: Duration }): FaultStep[] {
  const start = parseDuration(options.at, 'partition.at');
  const steps: FaultStep[] = proxies.map((p) => down(p, { at: start }));
  if (options.for !== undefined) {
    const end = start + parseDuration(options.for, 'partition.for');
    steps.push(...proxies.map((p) => heal(p, { at: end })));
  }
  return steps;
}

/** The 2018 shape: a leak that ends in a hard failure of the same proxy at `failAt`. */
export function leakThenFailure(proxy: string, options: LeakOptions & { failAt: Duration }): FaultStep[] {
  const { failAt, ...rest } = options;
  return [...leak(proxy, rest), down(proxy, { at: failAt })];
}
