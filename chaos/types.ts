// Placeholder: fault timeline types (at, ramp, down, heal ...) are defined here.
export interface FaultStep {
  kind: string;
}
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
}
