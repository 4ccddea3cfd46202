// Shapes shared by the fault proxy's toxics, pipeline and API. Field names follow
// Toxiproxy 2.x's JSON so the API can serialise these objects as they are.

export type Stream = 'upstream' | 'downstream';

/** One active toxic as the API shows it. Attributes are mutated in place on update so live links see the change. */
export interface ToxicState {
  name: string;
  type: string;
  stream: Stream;
  toxicity: number;
  attributes: Record<string, number>;
}

/** What a toxic sees of the link (one direction of one connection) it acts on. */
export interface LinkContext {
  readonly stream: Stream;
  /** Aborted when the connection closes; every wait a toxic does must honour it. */
  readonly signal: AbortSignal;
  /** Per-toxic state for this link (counters, pacing), created on first use. */
  state<T extends object>(toxic: ToxicState, init: () => T): T;
  /** Closes both sides after flushing what was already written. */
  close(): void;
  /** Closes both sides; the peer that receives this stream gets a TCP RST. */
  reset(): void;
  /** Resolves when the proxy's toxic set or any toxic's attributes change (or the link closes). */
  changed(): Promise<void>;
  /** True while `toxic` is still part of the proxy's toxic set. */
  isPresent(toxic: ToxicState): boolean;
}

export type Next = (piece: Buffer) => Promise<void>;

/** One toxic type: attribute defaults, validation, and the behaviour hooks it needs. */
export interface ToxicKind {
  readonly type: string;
  /** Every attribute with its default; the API shows all of them, as Toxiproxy does. */
  readonly defaults: Readonly<Record<string, number>>;
  /** Attributes that are timer durations in ms: each must stay below 2^31 (Node's timer limit). */
  readonly millisecondAttributes?: readonly string[];
  /** Extra checks beyond "non-negative integer"; returns a message or undefined. */
  validate?(attributes: Record<string, number>): string | undefined;
  /** Passes one chunk (arrived at `arrivedAt`, ms epoch) on to `next`, changed, split, delayed or dropped. */
  transform?(chunk: Buffer, arrivedAt: number, toxic: ToxicState, link: LinkContext, next: Next): Promise<void>;
  /**
   * Connection-level effect that starts when the toxic applies to a link. Returns a detach
   * function, called with removed=true when the toxic left the proxy while the link lives.
   */
  attach?(toxic: ToxicState, link: LinkContext): (removed: boolean) => void;
  /** Runs before the end of the stream is passed on (slow_close). */
  beforeEnd?(toxic: ToxicState, link: LinkContext): Promise<void>;
}
