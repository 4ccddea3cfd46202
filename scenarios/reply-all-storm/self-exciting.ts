// The reply-all arrival model: a self-exciting (Hawkes) point process with an exponential
// kernel. Every reply-all that lands in people's inboxes raises the rate of the next ones
// ("please remove me from this list" replies more than most), and the excitation fades
// with a mean life of `decayMinutes`. Times are simulated minutes. Pure: no clock, no I/O.
import type { Random } from '../../engine/random.ts';

export interface SelfExcitingOptions {
  /** Reply-alls per minute from people reading the original, before any excitation. */
  baseRatePerMin: number;
  /** Mean life of one reply-all's excitation, minutes. */
  decayMinutes: number;
}

/** Kinds of reply a storm is made of; each excites the storm by its own weight. */
export type ReplyKind = 'reply-all' | 'remove-me';

export class SelfExcitingProcess {
  readonly #base: number;
  readonly #decay: number;
  #excitation = 0;
  #at: number;

  constructor(options: SelfExcitingOptions, start = 0) {
    if (!(options.baseRatePerMin >= 0) || !Number.isFinite(options.baseRatePerMin)) throw new RangeError(`baseRatePerMin must be >= 0, got ${options.baseRatePerMin}`);
    if (!(options.decayMinutes > 0) || !Number.isFinite(options.decayMinutes)) throw new RangeError(`decayMinutes must be > 0, got ${options.decayMinutes}`);
    this.#base = options.baseRatePerMin;
    this.#decay = options.decayMinutes;
    this.#at = start;
  }

  /** Arrivals per minute at time t (t at or after the last excitation). */
  intensity(t: number): number {
    return this.#base + this.#excitationAt(t);
  }

  /**
   * A reply landed at time t: the rate jumps by `branching / decayMinutes`, so one reply
   * causes `branching` further replies on average (the branching ratio; above 1 the storm
   * grows until something stops it).
   */
  excite(t: number, branching: number): void {
    this.#excitation = this.#excitationAt(t) + Math.max(0, branching) / this.#decay;
    this.#at = Math.max(this.#at, t);
  }

  /**
   * The next arrival after `t` and no later than `limit`, by Ogata's thinning, assuming no
   * excitation in between; undefined when none falls in (t, limit]. The intensity only
   * falls between excitations, so its value at the start bounds it; the candidate draw is
   * memoryless, so a caller may stop at `limit` and ask again from there.
   */
  next(t: number, limit: number, random: Random, maxDraws = 10_000): number | undefined {
    let now = t;
    for (let i = 0; i < maxDraws; i++) {
      const bound = this.intensity(now);
      if (bound <= 0) return undefined;
      now += random.exponential(1 / bound);
      if (now > limit) return undefined;
      if (random.next() * bound <= this.intensity(now)) return now;
    }
    return undefined;
  }

  #excitationAt(t: number): number {
    if (this.#excitation === 0) return 0;
    return this.#excitation * Math.exp(-Math.max(0, t - this.#at) / this.#decay);
  }
}

export interface StormModel extends SelfExcitingOptions {
  /** Further reply-alls one reply-all causes on average. */
  branching: number;
  /** Share of replies that are "please remove me from this list". */
  removeMeShare: number;
  /** How much more a "remove me" reply excites than an ordinary one. */
  removeMeExcitation: number;
}

/** Draws the kind of the next reply. */
export function replyKind(model: StormModel, random: Random): ReplyKind {
  return random.next() < model.removeMeShare ? 'remove-me' : 'reply-all';
}

/** Branching ratio of one reply of this kind. */
export function branchingOf(model: StormModel, kind: ReplyKind): number {
  return kind === 'remove-me' ? model.branching * model.removeMeExcitation : model.branching;
}

/** Mean branching ratio over the mix of replies: above 1, an unchecked storm keeps growing. */
export function meanBranching(model: StormModel): number {
  return (1 - model.removeMeShare) * model.branching + model.removeMeShare * model.branching * model.removeMeExcitation;
}

/**
 * Simulates a storm in which every reply lands (no protection, no capacity limit), up to
 * `horizonMinutes` or `maxReplies`: the storm the MTA is about to face. Used for planning
 * figures and to check the model.
 */
export function simulateStorm(model: StormModel, horizonMinutes: number, maxReplies: number, random: Random): { at: number; kind: ReplyKind }[] {
  const process = new SelfExcitingProcess(model);
  const replies: { at: number; kind: ReplyKind }[] = [];
  let t = 0;
  while (replies.length < maxReplies) {
    const at = process.next(t, horizonMinutes, random);
    if (at === undefined) break;
    const kind = replyKind(model, random);
    process.excite(at, branchingOf(model, kind));
    replies.push({ at, kind });
    t = at;
  }
  return replies;
}
