// The capacity run: step the load until a step breaks (and at least enough steps for a
// scalability fit ran), then the knee, the USL fit and headroom. Running one step is handed
// in, so this file decides only what to run next and what the steps mean.
import type { RunResult } from '../harness/result-schema.ts';
import type { CapacityDeclaration } from '../harness/scenario/types.ts';
import { findKnee, keepStepping, noKneeReason } from './knee.ts';
import { headroomStatements } from './headroom.ts';
import { measureStep } from './measure-step.ts';
import { fitUsl, USL_MIN_POINTS } from './usl-fit.ts';
import { CAPACITY_SCHEMA_VERSION, type CapacityResult, type StepMeasurement } from './types.ts';

export interface CapacityPlan {
  scenario: string;
  stack: string;
  declaration: CapacityDeclaration<Record<string, unknown>>;
  steps: readonly number[];
  slo: string;
  /** params of a step at a load level (validated by the caller's run) */
  paramsAt: (level: number) => Record<string, unknown>;
  runStep: (level: number, index: number) => Promise<{ result: RunResult; dir: string; interrupted: boolean }>;
  onStep?: (step: StepMeasurement, index: number, total: number) => void;
  now?: () => Date;
}

export async function runCapacity(plan: CapacityPlan): Promise<CapacityResult> {
  const now = plan.now ?? (() => new Date());
  const startedAt = now().toISOString();
  const { declaration: d } = plan;
  const steps: StepMeasurement[] = [];
  const results = new Map<number, { result: RunResult; loadSeconds: number }>();
  const notes = new Set<string>();
  let reason = 'every planned step ran';
  let complete = true;
  for (const [i, level] of plan.steps.entries()) {
    if (!keepStepping(steps, USL_MIN_POINTS)) {
      reason = `stopped after step ${steps.length}: a step broke and ${steps.length} steps are enough for the fit`;
      break;
    }
    const params = plan.paramsAt(level);
    const loadSeconds = d.loadSeconds(params);
    const { result, dir, interrupted } = await plan.runStep(level, i);
    const step = measureStep(result, { level, offered: d.offered(params), loadSeconds, throughput: d.throughput, latency: d.latency, queue: d.queue, slo: plan.slo, dir });
    steps.push(step);
    results.set(level, { result, loadSeconds });
    for (const note of result.stack.notes) notes.add(note);
    plan.onStep?.(step, i, plan.steps.length);
    if (interrupted) {
      complete = false;
      reason = `interrupted during step ${i + 1} (${d.param}=${level})`;
      break;
    }
  }
  const knee = findKnee(steps);
  const points = steps.filter((s) => s.assessment !== 'inconclusive' && s.assessment !== 'broken').map((s) => ({ n: s.level, x: s.achieved }));
  let fit: CapacityResult['fit'] = null;
  let fitNote: string;
  if (points.length >= USL_MIN_POINTS) {
    fit = { ...fitUsl(points), over: 'level' };
    fitNote = `fitted over ${points.length} steps (load = ${d.param}, throughput = ${d.throughput} per second)`;
  } else {
    fitNote = `not fitted: a Universal Scalability Law fit needs at least ${USL_MIN_POINTS} steps the harness could drive, this run has ${points.length}`;
  }
  const kneeRun = knee ? results.get(knee.level) : undefined;
  return {
    schemaVersion: CAPACITY_SCHEMA_VERSION, kind: 'capacity', scenario: plan.scenario, stack: plan.stack, param: d.param, unit: d.unit, slo: `${d.latency} ${plan.slo}`,
    startedAt, endedAt: now().toISOString(), complete, reason, steps, knee, ...(knee ? {} : { kneeNote: noKneeReason(steps) }), fit, fitNote,
    headroom: kneeRun ? headroomStatements(kneeRun.result, kneeRun.loadSeconds) : [],
    notes: [...notes],
  };
}
