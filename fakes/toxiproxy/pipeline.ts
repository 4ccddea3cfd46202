// One direction of one proxied connection: reads chunks from `source`, runs each through
// the proxy's CURRENT toxic chain for this stream (looked up per chunk, so added, updated
// and removed toxics apply to live connections), and writes the result to `dest`.
// While no toxic can change a chunk, chunks are written straight through with write()'s
// return value pausing the source (as pipe() does); a chunk takes the async pipeline only
// when a toxic could act on it or earlier chunks are still in it, so bytes never reorder.
import type { Socket } from 'node:net';
import type { Random } from '../../engine/random.ts';
import type { LinkContext, Stream, ToxicState } from './types.ts';
import type { ToxicSet } from './toxic-set.ts';

/** Stop reading from the source above this many queued bytes (backpressure). */
const HIGH_WATER = 1 << 20;

export interface LinkOwner {
  close(): void;
  reset(): void;
}

export class Link implements LinkContext {
  readonly #queue: { chunk: Buffer; at: number }[] = [];
  #queued = 0;
  #ended = false;
  #running = false;
  #finished = false;
  /** The source is paused until `dest` drains (direct path backpressure). */
  #awaitingDrain = false;
  readonly #state = new Map<ToxicState, object>();
  readonly #rolls = new Map<ToxicState, { toxicity: number; on: boolean }>();
  readonly #attached = new Map<ToxicState, (removed: boolean) => void>();

  constructor(
    readonly stream: Stream,
    private readonly source: Socket,
    private readonly dest: Socket,
    private readonly toxics: ToxicSet,
    private readonly random: Random,
    private readonly owner: LinkOwner,
    readonly signal: AbortSignal,
  ) {}

  start(): void {
    this.dest.on('drain', () => {
      if (!this.#awaitingDrain) return;
      this.#awaitingDrain = false;
      if (this.#queued <= HIGH_WATER / 2) this.source.resume();
    });
    this.source.on('data', (chunk: Buffer) => {
      if (!this.#running && this.#queue.length === 0 && this.#direct()) {
        if (this.signal.aborted || this.dest.destroyed || this.dest.writableEnded) return;
        if (!this.dest.write(chunk)) {
          this.#awaitingDrain = true;
          this.source.pause();
        }
        return;
      }
      this.#queue.push({ chunk, at: Date.now() });
      this.#queued += chunk.length;
      if (this.#queued > HIGH_WATER) this.source.pause();
      void this.#pump();
    });
    this.source.on('end', () => {
      this.#ended = true;
      void this.#pump();
    });
    this.signal.addEventListener('abort', () => this.#detachAll(), { once: true });
    void this.#watchAttachments();
    this.source.resume();
  }

  state<T extends object>(toxic: ToxicState, init: () => T): T {
    let s = this.#state.get(toxic);
    if (!s) this.#state.set(toxic, (s = init()));
    return s as T;
  }

  close(): void {
    this.owner.close();
  }

  reset(): void {
    this.owner.reset();
  }

  changed(): Promise<void> {
    if (this.signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        off();
        this.signal.removeEventListener('abort', done);
        resolve();
      };
      const off = this.toxics.onChange(done);
      this.signal.addEventListener('abort', done, { once: true });
    });
  }

  isPresent(toxic: ToxicState): boolean {
    return this.toxics.has(toxic);
  }

  /** True when no toxic on this stream would transform a chunk right now. */
  #direct(): boolean {
    const chain = this.toxics.forStream(this.stream);
    if (chain.length === 0) return true;
    for (const toxic of chain) {
      if (this.toxics.kind(toxic.type)?.transform && this.#active(toxic)) return false;
    }
    return true;
  }

  /** Toxicity is the probability that a toxic affects a given connection; rolled once per value. */
  #active(toxic: ToxicState): boolean {
    const roll = this.#rolls.get(toxic);
    if (roll && roll.toxicity === toxic.toxicity) return roll.on;
    const on = toxic.toxicity >= 1 || (toxic.toxicity > 0 && this.random.next() < toxic.toxicity);
    this.#rolls.set(toxic, { toxicity: toxic.toxicity, on });
    return on;
  }

  async #pump(): Promise<void> {
    if (this.#running || this.#finished) return;
    this.#running = true;
    try {
      while (this.#queue.length > 0 && !this.signal.aborted) {
        const item = this.#queue.shift() as { chunk: Buffer; at: number };
        const chain = this.toxics.forStream(this.stream).filter((t) => this.#active(t));
        await this.#run(chain, 0, item.chunk, item.at);
        this.#queued -= item.chunk.length;
        if (this.#queued <= HIGH_WATER / 2 && !this.#awaitingDrain && this.source.isPaused()) this.source.resume();
      }
      if (this.#ended && this.#queue.length === 0 && !this.signal.aborted) {
        this.#finished = true;
        for (const toxic of this.toxics.forStream(this.stream).filter((t) => this.#active(t))) {
          await this.toxics.kind(toxic.type)?.beforeEnd?.(toxic, this);
        }
        if (!this.dest.destroyed) this.dest.end();
      }
    } finally {
      this.#running = false;
    }
  }

  async #run(chain: readonly ToxicState[], index: number, chunk: Buffer, at: number): Promise<void> {
    if (this.signal.aborted) return;
    const toxic = chain[index];
    if (!toxic) return this.#write(chunk);
    const transform = this.toxics.kind(toxic.type)?.transform;
    if (!transform) return this.#run(chain, index + 1, chunk, at);
    await transform(chunk, at, toxic, this, (piece) => this.#run(chain, index + 1, piece, at));
  }

  async #write(chunk: Buffer): Promise<void> {
    if (this.dest.destroyed || this.dest.writableEnded) return;
    if (this.dest.write(chunk)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.dest.off('drain', done);
        this.dest.off('close', done);
        resolve();
      };
      this.dest.on('drain', done);
      this.dest.on('close', done);
    });
  }

  /** Keeps connection-level toxics (timeout, reset_peer) attached to match the toxic set. */
  async #watchAttachments(): Promise<void> {
    while (!this.signal.aborted) {
      const present = new Set(this.toxics.forStream(this.stream));
      for (const [toxic, detach] of this.#attached) {
        if (!present.has(toxic) || !this.#active(toxic)) {
          detach(!present.has(toxic));
          this.#attached.delete(toxic);
        }
      }
      for (const toxic of present) {
        const attach = this.toxics.kind(toxic.type)?.attach;
        if (attach && !this.#attached.has(toxic) && this.#active(toxic)) this.#attached.set(toxic, attach(toxic, this));
      }
      await this.changed();
    }
  }

  #detachAll(): void {
    for (const detach of this.#attached.values()) detach(false);
    this.#attached.clear();
  }
}
