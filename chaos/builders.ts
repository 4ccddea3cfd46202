// Builders for timeline steps, so a scenario reads like the incident:
//   at('10m', latency('imap', { latency: 800, jitter: 200 }))
//   ramp('smtp', 'latency', { from: 0, to: 3000, over: '30m', every: '30s', start: '5m' })
//   down('smtp-primary', { at: '45m' }), heal('smtp-primary', { at: '50m' })
import type {
  AddStep, DownStep, Duration, HealStep, RampStep, RemoveStep, ToxicSpec, ToxicStream, UpdateStep,
} from './types.ts';

export interface ToxicOptions {
  name?: string;
  stream?: ToxicStream;
  toxicity?: number;
}

function toxic(type: ToxicSpec['type'], proxy: string, attributes: Record<string, number>, options: ToxicOptions): ToxicSpec {
  return { type, proxy, attributes, ...options };
}

export const latency = (proxy: string, a: { latency: number; jitter?: number }, o: ToxicOptions = {}) => toxic('latency', proxy, a, o);
/** rate in KB/s */
export const bandwidth = (proxy: string, a: { rate: number }, o: ToxicOptions = {}) => toxic('bandwidth', proxy, a, o);
export const slowClose = (proxy: string, a: { delay: number }, o: ToxicOptions = {}) => toxic('slow_close', proxy, a, o);
/** drops the stream's data; > 0 closes the connection after that many ms without data; removing it closes stalled connections */
export const timeout = (proxy: string, a: { timeout: number }, o: ToxicOptions = {}) => toxic('timeout', proxy, a, o);
export const resetPeer = (proxy: string, a: { timeout: number }, o: ToxicOptions = {}) => toxic('reset_peer', proxy, a, o);
/** delay in microseconds */
export const slicer = (proxy: string, a: { average_size: number; size_variation?: number; delay?: number }, o: ToxicOptions = {}) => toxic('slicer', proxy, a, o);
export const limitData = (proxy: string, a: { bytes: number }, o: ToxicOptions = {}) => toxic('limit_data', proxy, a, o);

/** A change that needs a time: `at('20m', remove('smtp', 'latency_downstream'))`. */
export type Change = ToxicSpec | Omit<RemoveStep, 'at'> | Omit<UpdateStep, 'at'>;

export function remove(proxy: string, toxicName: string): Omit<RemoveStep, 'at'> {
  return { kind: 'remove', proxy, toxic: toxicName };
}

export function update(proxy: string, toxicName: string, change: { attributes?: Record<string, number>; toxicity?: number }): Omit<UpdateStep, 'at'> {
  return { kind: 'update', proxy, toxic: toxicName, ...change };
}

/** Schedules a change; a toxic given `for` is removed again after that long. */
export function at(time: Duration, change: ToxicSpec, options?: { for?: Duration }): AddStep;
export function at(time: Duration, change: Omit<RemoveStep, 'at'>): RemoveStep;
export function at(time: Duration, change: Omit<UpdateStep, 'at'>): UpdateStep;
export function at(time: Duration, change: Change, options: { for?: Duration } = {}): AddStep | RemoveStep | UpdateStep {
  if ('kind' in change) return { ...change, at: time } as RemoveStep | UpdateStep;
  return { kind: 'add', at: time, toxic: change, ...(options.for !== undefined ? { for: options.for } : {}) };
}

export function ramp(
  proxy: string,
  type: RampStep['type'],
  options: Omit<RampStep, 'kind' | 'proxy' | 'type'>,
): RampStep {
  return { kind: 'ramp', proxy, type, ...options };
}

export const down = (proxy: string, options: { at: Duration }): DownStep => ({ kind: 'down', proxy, at: options.at });
export const heal = (proxy: string, options: { at: Duration }): HealStep => ({ kind: 'heal', proxy, at: options.at });
