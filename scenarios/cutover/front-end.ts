// The front end between the population and the two platforms, as MX and submission DNS would
// be: before the switch every sender is pointed at the old platform; after it at one of the new
// platform's nodes in rotation (round-robin records); after a rollback at the old one again.
import type { Random } from '../../engine/random.ts';

export type Platform = 'old' | 'new';
export type Kind = 'relay' | 'submission';

/** Proxy names of node k (1-based) of the new platform (the stack's standby nodes). */
export function nodeEndpoint(kind: Kind, node: number): string {
  const base = kind === 'relay' ? 'smtp-standby' : 'submission-standby';
  return node === 1 ? base : `${base}-${node}`;
}

export interface Route {
  platform: Platform;
  endpoint: string;
  /** node of the new platform, 1-based */
  node?: number;
}

export class CutoverFrontEnd {
  #platform: Platform = 'old';
  #rotation: number[] = [];

  constructor(private readonly random: Random) {}

  get platform(): Platform {
    return this.#platform;
  }

  get rotation(): readonly number[] {
    return this.#rotation;
  }

  /** Points everyone at the new platform's nodes in `rotation`. */
  switchTo(rotation: readonly number[]): void {
    if (rotation.length === 0) throw new RangeError('a switch needs at least one node in rotation');
    this.#rotation = [...rotation];
    this.#platform = 'new';
  }

  rollBack(): void {
    this.#platform = 'old';
  }

  route(kind: Kind): Route {
    if (this.#platform === 'old') return { platform: 'old', endpoint: kind === 'relay' ? 'smtp' : 'submission' };
    const node = this.random.pick(this.#rotation);
    return { platform: 'new', endpoint: nodeEndpoint(kind, node), node };
  }
}

/** Outcomes of attempts on the new platform over a sliding window: the runbook's health gate. */
export class HealthWindow {
  readonly #samples: { t: number; ok: boolean }[] = [];

  constructor(private readonly windowMs: number) {}

  record(t: number, ok: boolean): void {
    this.#samples.push({ t, ok });
  }

  /** Attempts and failed share in the window ending at `now`. */
  read(now: number): { attempts: number; failShare: number } {
    while (this.#samples.length > 0 && (this.#samples[0] as { t: number }).t < now - this.windowMs) this.#samples.shift();
    const failed = this.#samples.filter((s) => !s.ok).length;
    return { attempts: this.#samples.length, failShare: this.#samples.length === 0 ? 0 : failed / this.#samples.length };
  }
}
