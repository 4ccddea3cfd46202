// The rig limits: above them the harness, not the stack, is the likeliest reason for what a
// run saw, so its gates are not judged (verdict inconclusive). `--rig-limit name=value`
// changes one; the defaults are set well above what an idle 2-core machine shows.
import { InputError } from '../../engine/errors.ts';
import type { RigLimitName, RigLimits } from './types.ts';

export const DEFAULT_RIG_LIMITS: Readonly<RigLimits> = Object.freeze({
  eventLoopDelayP99Ms: 1000,
  harnessCpuShare: 0.97,
  cpuWaitShare: 0.25,
  gcShare: 0.2,
  scheduleLagP95Ms: 2000,
  replayLagP95Ms: 5000,
  droppedIterations: null,
  harnessResourceErrors: 0,
  fakeMtaShortfallShare: 0.02,
});

/** Below this the window is too short for a percentile or a CPU share to say anything. */
export const MIN_JUDGED_WINDOW_MS = 3000;

const NAMES = Object.keys(DEFAULT_RIG_LIMITS) as RigLimitName[];

/** Parses repeated `name=value` options over the defaults; a bad one is an InputError naming it. */
export function resolveRigLimits(specs: readonly string[]): RigLimits {
  const limits: RigLimits = { ...DEFAULT_RIG_LIMITS };
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    const name = (eq < 0 ? spec : spec.slice(0, eq)).trim();
    if (!NAMES.includes(name as RigLimitName)) {
      throw new InputError(`--rig-limit "${spec}": unknown rig figure "${name}"; use one of ${NAMES.join(', ')}`);
    }
    const text = eq < 0 ? '' : spec.slice(eq + 1).trim();
    const value = text === 'none' ? null : Number(text);
    if (value !== null && (text === '' || Number.isNaN(value) || value < 0)) {
      throw new InputError(`--rig-limit "${spec}": the limit of ${name} must be a number >= 0 (or "none")`);
    }
    limits[name as RigLimitName] = value;
  }
  return limits;
}
