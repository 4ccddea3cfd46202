// result.json: the versioned record of one run. Every report and `mailstorm compare`
// reads only this. Bump RESULT_SCHEMA_VERSION on any incompatible change.
import type { MetricDeclaration, MetricSummary, SeriesLine } from '../engine/metrics/types.ts';
import type { LedgerSummary } from '../engine/ledger/types.ts';
import type { RunEvent } from '../engine/events.ts';
import type { StackDescription } from '../stack/types.ts';
import type { ChaosEvent } from '../chaos/types.ts';
import type { Figure } from '../engine/figures.ts';
import type { StoryRecord } from './scenario/story.ts';
import type { GateResult } from '../engine/thresholds/types.ts';
import type { RigRecord } from './rig/types.ts';

export type { RigBreach, RigFigures, RigLimitName, RigLimits, RigRecord, RigSecond } from './rig/types.ts';

export type { GateResult };

export const RESULT_SCHEMA_VERSION = 1;


export type Verdict = 'pass' | 'fail' | 'inconclusive' | 'error';

export interface RunResult {
  schemaVersion: typeof RESULT_SCHEMA_VERSION;
  mailstormVersion: string;
  runId: string;
  scenario: { name: string; description: string; incident: string; file: string };
  params: Record<string, unknown>;
  /** --scale factor and the per-parameter scale notes. */
  scale: { factor: number };
  seed: number;
  /** The exact command line that reproduces the run. */
  command: string;
  stack: StackDescription;
  startedAt: string;
  endedAt: string;
  durationMs: number;
  /** false when interrupted, aborted by a gate, or broken; `reason` says which. */
  complete: boolean;
  reason: string;
  /**
   * pass: every gate passed; fail: a gate failed on a healthy rig; inconclusive: the harness
   * was overloaded (see `rig`), so the stack was not judged; error: the stack or harness broke.
   */
  verdict: Verdict;
  gates: GateResult[];
  metrics: MetricSummary[];
  /**
   * What each metric is (kind, unit, label), as its creator declared it; `implicit: true`
   * for metrics nobody declared. Added within schema 1: files written before it lack the
   * field; reports then describe each metric from its kind alone (compare borrows the
   * other side's declarations).
   */
  metricDeclarations?: Record<string, MetricDeclaration>;
  series: SeriesLine[];
  /**
   * ms after startedAt when the load began: series seconds count from the run's start, and
   * the stack's start (seconds on docker) comes first. Added within schema 1; absent when the
   * load never started and in files written before it.
   */
  loadStartedMs?: number;
  ledger?: LedgerSummary;
  chaos: ChaosEvent[];
  events: RunEvent[];
  figures: Record<string, Figure>;
  /** The scenario's story charts (absent in older results and scenarios without one). */
  story?: StoryRecord;
  /** The harness's own health over the measured window (absent when the load never started). */
  rig?: RigRecord;
  /** Iteration errors by kind, with one sample message each. */
  errors: { kind: string; count: number; sample: string }[];
}

/** A suite run: the list of its runs, each in its own sub-folder. */
export interface SuiteResult {
  schemaVersion: typeof RESULT_SCHEMA_VERSION;
  suite: string;
  startedAt: string;
  endedAt: string;
  verdict: Verdict;
  runs: { scenario: string; dir: string; verdict: Verdict; complete: boolean }[];
  /** Entries not run on this stack (a replay that cannot run remotely), with why. */
  skipped?: { scenario: string; reason: string }[];
}
