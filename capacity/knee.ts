// The knee by a stated rule: the highest step, below the first step that broke, that kept
// up (achieved >= 95 % of offered), held the SLO and whose queue did not grow. A step the
// harness could not drive (inconclusive) is neither a knee nor a break.
import { KEEPS_UP, QUEUE_GROWTH_SHARE } from './measure-step.ts';
import type { Knee, StepMeasurement } from './types.ts';

export const KNEE_RULE = `the highest load step before the first step that broke, with achieved >= ${KEEPS_UP * 100} % of offered throughput, ` +
  `the latency SLO held and the queue not growing (slope <= ${QUEUE_GROWTH_SHARE * 100} % of the offered rate per second); steps where the harness could not keep up are skipped`;

export function findKnee(steps: readonly StepMeasurement[]): Knee | null {
  let knee: StepMeasurement | undefined;
  // Steps above the knee the harness could not drive: the stack may hold more than the knee says.
  let undriven: number[] = [];
  const of = (k: StepMeasurement) => ({ level: k.level, achieved: k.achieved, rule: KNEE_RULE, ...(undriven.length > 0 && { undrivenAbove: undriven }) });
  for (const step of steps) {
    if (step.assessment === 'inconclusive') {
      if (knee) undriven.push(step.level);
      continue;
    }
    if (step.assessment !== 'healthy') {
      return knee ? { ...of(knee), brokenBy: { level: step.level, assessment: step.assessment, note: step.note } } : null;
    }
    knee = step;
    undriven = [];
  }
  return knee ? of(knee) : null;
}

/** Why there is no knee, by the rule: which step came first and what it was, or how many the harness could not drive. */
export function noKneeReason(steps: readonly StepMeasurement[]): string {
  const judged = steps.filter((s) => s.assessment !== 'inconclusive');
  const undriven = steps.length - judged.length;
  const harness = undriven > 0 ? `; the harness could not keep up at ${undriven} of ${steps.length} steps (inconclusive, skipped by the rule)` : '';
  const first = judged[0];
  if (!first) return `no knee: no step was judged${harness}`;
  return `no knee: the first judged step (${first.level}) was ${first.assessment}: ${first.note}${harness}`;
}

/** Whether stepping should go on: until a step broke, and at least `minPoints` steps ran. */
export function keepStepping(steps: readonly StepMeasurement[], minPoints: number): boolean {
  const broke = steps.some((s) => s.assessment !== 'healthy' && s.assessment !== 'inconclusive');
  return !broke || steps.length < minPoints;
}
