// Fault timelines as data: what a scenario's chaos() returns, validated before the run
// (chaos/validate.ts) and played by chaos/runner.ts through toxiproxy-node-client.
// Build steps with the helpers in chaos/builders.ts and chaos/presets.ts.

/** A k6-style duration ("90s", "1m30s", "250ms") or a number of milliseconds. */
export type Duration = string | number;

export type ToxicType = 'latency' | 'bandwidth' | 'slow_close' | 'timeout' | 'reset_peer' | 'slicer' | 'limit_data';
export type ToxicStream = 'upstream' | 'downstream';

/** A toxic to add to one proxy. Attributes use Toxiproxy's names and units (ms, KB/s, bytes, µs for slicer delay). */
export interface ToxicSpec {
  type: ToxicType;
  /** Proxy name (a key or name in Endpoints.proxies). */
  proxy: string;
  /** Default `<type>_<stream>`, as Toxiproxy names it. */
  name?: string;
  /** Default downstream (server -> client). */
  stream?: ToxicStream;
  /** Share of connections affected, 0..1; default 1. */
  toxicity?: number;
  attributes: Record<string, number>;
}

/** Adds a toxic at `at`; with `for`, removes it again that long after. */
export interface AddStep { kind: 'add'; at: Duration; toxic: ToxicSpec; for?: Duration }
/** Changes attributes/toxicity of a toxic an earlier step added, in place (live connections see it). */
export interface UpdateStep { kind: 'update'; at: Duration; proxy: string; toxic: string; attributes?: Record<string, number>; toxicity?: number }
/** Removes a toxic an earlier step added. */
export interface RemoveStep { kind: 'remove'; at: Duration; proxy: string; toxic: string }
/**
 * Adds a latency or bandwidth toxic at `start` with value `from`, then updates it in place
 * every `every` until it reaches `to` at `start + over`; it stays until removed or rolled back.
 * For latency the value is `latency` (ms); for bandwidth it is `rate` (KB/s).
 */
export interface RampStep {
  kind: 'ramp';
  proxy: string;
  type: 'latency' | 'bandwidth';
  from: number;
  to: number;
  over: Duration;
  every: Duration;
  start?: Duration;
  name?: string;
  stream?: ToxicStream;
  toxicity?: number;
  /** latency only: constant jitter (ms) */
  jitter?: number;
}
/** Disables the proxy: live connections are cut and new ones refused (a hard failure). */
export interface DownStep { kind: 'down'; at: Duration; proxy: string }
/** Re-enables a proxy. */
export interface HealStep { kind: 'heal'; at: Duration; proxy: string }

export type FaultStep = AddStep | UpdateStep | RemoveStep | RampStep | DownStep | HealStep;
export type Timeline = readonly FaultStep[];

/** One change the chaos runner made (or undid), for result.json and the report's timeline. */
export interface ChaosEvent {
  /** ms since the run started */
  t: number;
  action: 'add' | 'update' | 'remove' | 'disable' | 'enable' | 'rollback';
  target: string;
  toxic?: string;
  type?: string;
  attributes?: Record<string, unknown>;
  /** add: the toxic's direction and share of connections; update: toxicity when it changed */
  stream?: ToxicStream;
  toxicity?: number;
  /** Index of the timeline step that made the change; absent for rollback. */
  step?: number;
}
