// Assembles result.json's RunResult from whatever a run reached, so an interrupted or
// broken run still produces a complete, valid record that says how far it got.
import type { MetricsRegistry } from '../../engine/metrics/registry.ts';
import type { LedgerSummary } from '../../engine/ledger/types.ts';
import type { RunEvent } from '../../engine/events.ts';
import type { Figure } from '../scenario/types.ts';
import type { ChaosEvent } from '../../chaos/types.ts';
import type { StackDescription } from '../../stack/types.ts';
import type { StackKind } from '../../stack/providers.ts';
import type { StoryRecord } from '../scenario/story.ts';
import type { RigRecord, WorkersRecord } from '../rig/types.ts';
import { gateFailed, markNotEvaluated } from '../../engine/thresholds/not-evaluated.ts';
import { RESULT_SCHEMA_VERSION, type GateResult, type RunResult, type Verdict } from '../result-schema.ts';

export interface RunRecord {
  version: string;
  runId: string;
  scenario: RunResult['scenario'];
  params: Record<string, unknown>;
  scale: number;
  seed: number;
  command: string;
  stackKind: StackKind;
  stack?: StackDescription;
  startedAt: number;
  metrics?: MetricsRegistry;
  ledger?: LedgerSummary;
  chaos: readonly ChaosEvent[];
  events: () => readonly RunEvent[];
  figures: Record<string, Figure>;
  story?: StoryRecord;
  errors: { kind: string; count: number; sample: string }[];
  gates: GateResult[];
  /** the harness's own health over the measured window, once the load has started */
  rig?: () => RigRecord;
  /** --workers: what ran in worker threads, and how each fared */
  workers?: () => WorkersRecord;
  /** ms after startedAt when the load began (the stack's start comes before it) */
  loadStartedMs?: number;
  /** set when the run stopped early (interrupt, abortOnFail, time limit, error) */
  stopReason?: string;
  /** set when the stack or harness broke */
  harnessError?: string;
}

/**
 * error: the run broke; inconclusive: the harness was overloaded, so what the gates saw may
 * be the generator's doing (a gate failure is not reported as the stack's); fail; pass.
 */
export function verdictOf(record: Pick<RunRecord, 'gates' | 'harnessError' | 'stopReason'>, interrupted: boolean, rig?: RigRecord): Verdict {
  if (record.harnessError !== undefined || interrupted) return 'error';
  if (rig?.overloaded) return 'inconclusive';
  if (record.gates.some(gateFailed)) return 'fail';
  return record.stopReason === undefined ? 'pass' : 'error';
}

export function buildResult(record: RunRecord, endedAt: number, interrupted: boolean): RunResult {
  const complete = record.stopReason === undefined && record.harnessError === undefined;
  const reason = record.harnessError ?? record.stopReason ?? 'completed';
  const gates = complete ? record.gates : markNotEvaluated(record.gates, `the run stopped before the end (${reason})`);
  const rig = record.rig?.();
  const result: RunResult = {
    schemaVersion: RESULT_SCHEMA_VERSION,
    mailstormVersion: record.version,
    runId: record.runId,
    scenario: record.scenario,
    params: record.params,
    scale: { factor: record.scale },
    seed: record.seed,
    command: record.command,
    stack: record.stack ?? { kind: record.stackKind, components: [], notes: ['stack not started'] },
    startedAt: new Date(record.startedAt).toISOString(),
    endedAt: new Date(endedAt).toISOString(),
    durationMs: Math.max(0, endedAt - record.startedAt),
    complete,
    reason,
    verdict: verdictOf({ ...record, gates }, interrupted, rig),
    gates,
    metrics: record.metrics?.summaries() ?? [],
    metricDeclarations: record.metrics?.declarations() ?? {},
    series: record.metrics?.series() ?? [],
    chaos: [...record.chaos],
    events: [...record.events()],
    figures: record.figures,
    errors: record.errors,
  };
  if (record.loadStartedMs !== undefined) result.loadStartedMs = record.loadStartedMs;
  if (record.ledger) result.ledger = record.ledger;
  if (record.story) result.story = record.story;
  if (rig) result.rig = record.workers ? { workers: record.workers(), ...rig } : rig;
  return result;
}
