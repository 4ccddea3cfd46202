// A run that stopped before its end (interrupt, time limit, abortOnFail, broken stack, or a
// checkpoint of a run still going) has not shown that any gate holds: a gate that passed so
// far, or had no samples yet, is "not evaluated", never a ✓. A gate that already failed on
// what was measured stays a failure: that much is evidence, except a count still short of a
// lower bound (iterations count>0 when the run stopped in setup): a count only grows, so the
// rest of the run could have reached it.
import type { GateResult } from './types.ts';

const COUNT_LOWER_BOUND = /^\s*count\s*>/i;

export function markNotEvaluated(gates: readonly GateResult[], why: string): GateResult[] {
  return gates.map((g) => {
    if (g.notEvaluated !== undefined) return g;
    if (!g.ok && g.observed !== null && !COUNT_LOWER_BOUND.test(g.expression)) return g;
    return { ...g, ok: false, notEvaluated: why };
  });
}

/** The gates on metrics `unseen` names, as not evaluated with `why` (a figure the run could not see). */
export function markUnseen(gates: readonly GateResult[], unseen: (metric: string) => boolean, why: string): GateResult[] {
  return gates.map((g) => (g.notEvaluated === undefined && unseen(g.metric.split('{')[0]!) ? { ...g, ok: false, observed: null, notEvaluated: why } : g));
}

/** A gate that failed on its figures (not merely left unevaluated). */
export function gateFailed(g: GateResult): boolean {
  return !g.ok && g.notEvaluated === undefined;
}
