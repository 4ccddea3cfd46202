// Migration progress and the go / no-go / roll back call: throughput so far, the completion
// it projects, and that projection against the window. Pure: times are passed in (ms of
// simulated time), so the rules are tested without a run. The call is made on the stack's
// service time (see ProjectionBasis); the wall-time projection is kept beside it, to show
// how much a harness that fell behind would have added.

export type Verdict = 'go' | 'no-go' | 'roll back';
export type CheckpointKind = 'interim' | 'phase' | 'final';

export interface Checkpoint {
  kind: CheckpointKind;
  /** 1-based phase just completed (phase checkpoints) */
  phase?: number;
  /** simulated ms since the migration started */
  elapsedMs: number;
  done: number;
  total: number;
  /** accounts per simulated hour so far */
  accountsPerHour: number;
  /** simulated ms from the start to the projected completion */
  projectedMs: number;
  /** projectedMs / window: above 1 the migration cannot finish in time */
  ratio: number;
  /** the same projection from wall time x compression (harness lag included) */
  wallProjectedMs: number;
  wallRatio: number;
  verdict: Verdict;
}

/**
 * What a checkpoint projects from, in simulated ms since the start. service: the movers' busy
 * time per account (the modelled move, or the stack's replies when slower) summed over the
 * finished accounts and divided by the movers working in parallel; harness hold-ups are not in
 * it. wall: wall time since the start x compression, the projection a clock that follows the
 * wall would give. Both default to `elapsedMs`.
 */
export interface ProjectionBasis {
  serviceMs?: number;
  wallMs?: number;
}

/**
 * go: projected to finish in the window. no-go: projected to overrun, said at an interim
 * checkpoint (do not start another phase unless throughput recovers). roll back: projected
 * to overrun at the end of a phase, or by more than `rollbackRatio` at any time: stop and
 * fall back to the source, as 2004 did (only earlier).
 */
export function verdictFor(ratio: number, kind: CheckpointKind, rollbackRatio: number): Verdict {
  if (ratio <= 1) return 'go';
  if (kind !== 'interim' || ratio > rollbackRatio) return 'roll back';
  return 'no-go';
}

/** Projected total duration from the throughput so far; Infinity before the first account is done. */
export function projectDuration(done: number, total: number, elapsedMs: number): number {
  if (done >= total) return elapsedMs;
  if (done <= 0 || elapsedMs <= 0) return Infinity;
  return (elapsedMs * total) / done;
}

export class MigrationProgress {
  readonly #phaseLeft: number[];
  done = 0;
  readonly checkpoints: Checkpoint[] = [];

  constructor(
    readonly phaseSizes: readonly number[],
    readonly windowMs: number,
    readonly rollbackRatio: number,
  ) {
    this.#phaseLeft = [...phaseSizes];
  }

  get total(): number {
    return this.phaseSizes.reduce((a, b) => a + b, 0);
  }

  /** Counts one account as finished (moved, corrupt or failed); returns the 1-based phase it completed, if any. */
  accountFinished(phase: number): number | undefined {
    this.done++;
    const left = (this.#phaseLeft[phase] ?? 1) - 1;
    this.#phaseLeft[phase] = left;
    return left === 0 ? phase + 1 : undefined;
  }

  /**
   * Takes a checkpoint at `elapsedMs` (simulated, since the start); undefined when nothing is
   * done yet, or, for an interim one, before `minSample` accounts are done (the first few
   * moves carry the start-up cost and would project nonsense).
   */
  checkpoint(kind: CheckpointKind, elapsedMs: number, phase?: number, minSample = 1, basis: ProjectionBasis = {}): Checkpoint | undefined {
    if (this.done === 0 || (kind === 'interim' && this.done < minSample)) return undefined;
    const serviceMs = basis.serviceMs ?? elapsedMs;
    const projectedMs = projectDuration(this.done, this.total, serviceMs);
    const ratio = projectedMs / this.windowMs;
    const wallProjectedMs = projectDuration(this.done, this.total, basis.wallMs ?? elapsedMs);
    const c: Checkpoint = {
      kind, elapsedMs, done: this.done, total: this.total,
      accountsPerHour: serviceMs > 0 ? (this.done * 3_600_000) / serviceMs : 0,
      projectedMs, ratio, wallProjectedMs, wallRatio: wallProjectedMs / this.windowMs,
      verdict: verdictFor(ratio, kind, this.rollbackRatio),
      ...(phase !== undefined && { phase }),
    };
    this.checkpoints.push(c);
    return c;
  }
}

/** Splits `total` accounts into `phases` batches as evenly as whole numbers allow. */
export function phaseSizes(total: number, phases: number): number[] {
  const n = Math.max(1, Math.min(phases, total));
  return Array.from({ length: n }, (_, k) => Math.floor(((k + 1) * total) / n) - Math.floor((k * total) / n));
}

/** Phase (0-based) of the account at position `index` in the migration order. */
export function phaseOf(index: number, sizes: readonly number[]): number {
  let end = 0;
  for (let k = 0; k < sizes.length; k++) {
    end += sizes[k] ?? 0;
    if (index < end) return k;
  }
  return sizes.length - 1;
}
