// The hot-path SMTP client: a bounded pool of reused connections, PIPELINING when the server
// offers it, and message bytes prepared once by the caller (prepareMessage / MessageTemplate).
// send() resolves with the reply that decided each message, never rejects for an SMTP
// failure, and records smtp.send_time and smtp.codes like the nodemailer client.
// nodemailer stays the client for flows that need MIME building, attachments, TLS or AUTH.
import { countHarnessResourceError } from './harness-resource-errors.ts';
import { monotonicNow } from './monotonic-now.ts';
import { systemClock, type Clock } from '../clock.ts';
import { InputError } from '../errors.ts';
import type { MetricsSink, Tags } from '../metrics/types.ts';
import { PipelineConnection, type ConnectionHooks } from './pipeline/pipeline-connection.ts';
import { Transaction, type Envelope, type PipelineSendResult } from './pipeline/transaction.ts';
import { declareAll } from '../metrics/declare.ts';
import { SMTP_CLIENT_METRICS } from './metric-declarations.ts';
import type { Endpoints, TlsSettings } from '../endpoints.ts';
import { resolveEndpoint } from './resolve-endpoint.ts';
import { tlsOf } from './tls.ts';

export { prepareMessage, MessageTemplate } from './pipeline/prepare-message.ts';
export type { Envelope, PipelineSendResult } from './pipeline/transaction.ts';

export interface SmtpPipelineClientOptions {
  host: string;
  port: number;
  /** Connections kept open at most (default 8); each carries one message at a time plus the next one's commands. */
  connections?: number;
  /** EHLO name (default "mailstorm.invalid"). */
  clientName?: string;
  /** A connection waiting this long for a reply is dropped (its messages fail); an idle one is closed (default 30 s). */
  timeoutMs?: number;
  metrics?: MetricsSink;
  clock?: Clock;
  /** Flow tag of the metrics (default "default"). */
  flow?: string;
  /**
   * The endpoint's TLS settings. This client speaks cleartext only, so anything but mode
   * "none" is refused at construction: mail is never sent in clear where TLS was asked for.
   */
  tls?: TlsSettings;
  /** Endpoint name for that refusal's message. */
  endpoint?: string;
}

export interface PipelineClientStats {
  /** Connections opened since the client was created. */
  connectionsOpened: number;
  open: number;
  /** Messages waiting for a connection. */
  queued: number;
}

const UNSAFE_ADDRESS = /[\r\n<>]/;

export class SmtpPipelineClient {
  readonly #options: Required<Pick<SmtpPipelineClientOptions, 'host' | 'port' | 'connections' | 'clientName' | 'timeoutMs'>>;
  readonly #metrics: MetricsSink | undefined;
  readonly #clock: Clock;
  /** Sub-millisecond durations (performance.now on the system clock). */
  readonly #now: () => number;
  readonly #flowTags: Tags;
  readonly #codeTags = new Map<number, Tags>();
  readonly #connections = new Set<PipelineConnection>();
  readonly #idle: PipelineConnection[] = [];
  #queue: Transaction[] = [];
  #queueHead = 0;
  /** Opened, not yet through EHLO. */
  readonly #connecting = new Set<PipelineConnection>();
  #opened = 0;
  #pending = 0;
  #idleWaiters: (() => void)[] = [];
  /** close() waits on these: one per connection it asked to QUIT. */
  readonly #onGone = new Map<PipelineConnection, () => void>();
  #closed = false;
  readonly #hooks: ConnectionHooks;

  constructor(options: SmtpPipelineClientOptions) {
    if (options.tls && options.tls.mode !== 'none') {
      throw new InputError(`endpoint ${options.endpoint ?? `${options.host}:${options.port}`} asks for TLS (${options.tls.mode}), and the pipelining SMTP client speaks cleartext only; send through the nodemailer client (ctx.smtp) instead`);
    }
    const connections = options.connections ?? 8;
    if (!Number.isInteger(connections) || connections < 1) throw new InputError(`connections must be a whole number >= 1, got ${connections}`);
    this.#options = { host: options.host, port: options.port, connections, clientName: options.clientName ?? 'mailstorm.invalid', timeoutMs: options.timeoutMs ?? 30_000 };
    this.#metrics = options.metrics;
    if (options.metrics) declareAll(options.metrics, SMTP_CLIENT_METRICS);
    this.#clock = options.clock ?? systemClock;
    this.#now = monotonicNow(this.#clock);
    this.#flowTags = Object.freeze({ flow: options.flow ?? 'default' });
    this.#hooks = {
      onFree: (connection) => this.#onFree(connection),
      takeNext: () => this.#dequeue(),
      onClosed: (connection, ready, failure) => this.#onClosed(connection, ready, failure),
    };
  }

  get stats(): PipelineClientStats {
    return { connectionsOpened: this.#opened, open: this.#connections.size, queued: this.#queue.length - this.#queueHead };
  }

  /** Sends one message; `data` comes from prepareMessage() or MessageTemplate.render(). */
  send(envelope: Envelope, data: Buffer): Promise<PipelineSendResult> {
    if (this.#closed) return Promise.reject(new InputError('send() after close()'));
    if (envelope.to.length === 0) return Promise.reject(new InputError('envelope.to: at least one recipient is required'));
    if (UNSAFE_ADDRESS.test(envelope.from) || envelope.to.some((to) => UNSAFE_ADDRESS.test(to))) {
      return Promise.reject(new InputError('envelope: addresses may not contain CR, LF, < or >'));
    }
    const started = this.#now();
    this.#pending++;
    return new Promise((resolve) => {
      this.#queue.push(
        new Transaction(envelope, data, (result) => {
          this.#record(result, started);
          this.#pending--;
          if (this.#pending === 0) for (const wake of this.#idleWaiters.splice(0)) wake();
          resolve(result);
        }),
      );
      this.#dispatch();
    });
  }

  /** Waits for every message sent so far to settle, then ends each session with QUIT. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#pending > 0) await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
    const closing = [...this.#connections].map((connection) => new Promise<void>((resolve) => {
      const timer = setTimeout(() => connection.destroy(), 1000); // a server that ignores QUIT
      this.#onGone.set(connection, () => {
        clearTimeout(timer);
        resolve();
      });
      connection.quit();
    }));
    this.#idle.length = 0;
    await Promise.all(closing);
  }

  #dispatch(): void {
    while (this.#queueHead < this.#queue.length) {
      let connection = this.#idle.pop();
      while (connection?.closing) connection = this.#idle.pop(); // an idle one timed out and is ending
      if (connection) {
        connection.begin(this.#dequeue() as Transaction);
        continue;
      }
      const waiting = this.#queue.length - this.#queueHead;
      if (this.#connections.size >= this.#options.connections || this.#connecting.size >= waiting) return;
      this.#open();
    }
  }

  #open(): void {
    const connection = new PipelineConnection(this.#options, this.#hooks);
    this.#connections.add(connection);
    this.#connecting.add(connection);
    this.#opened++;
  }

  #dequeue(): Transaction | undefined {
    if (this.#queueHead >= this.#queue.length) return undefined;
    const tx = this.#queue[this.#queueHead] as Transaction;
    this.#queue[this.#queueHead++] = undefined as unknown as Transaction;
    // Compact now and then so a long run does not keep a dead prefix.
    if (this.#queueHead > 4096 && this.#queueHead * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#queueHead);
      this.#queueHead = 0;
    }
    return tx;
  }

  #onFree(connection: PipelineConnection): void {
    this.#connecting.delete(connection);
    const tx = this.#dequeue();
    if (tx) connection.begin(tx);
    else this.#idle.push(connection);
  }

  #onClosed(connection: PipelineConnection, ready: boolean, failure: { code: number; text: string }): void {
    this.#connections.delete(connection);
    const at = this.#idle.indexOf(connection);
    if (at >= 0) this.#idle.splice(at, 1);
    this.#connecting.delete(connection);
    this.#onGone.get(connection)?.();
    this.#onGone.delete(connection);
    // A server that refuses sessions (connection refused, 421/554 greeting) fails what waits
    // when no working connection is left, rather than being reconnected to without end.
    if (!ready && this.#connections.size === this.#connecting.size) {
      for (let tx = this.#dequeue(); tx; tx = this.#dequeue()) tx.fail(failure.code, failure.text);
      return;
    }
    this.#dispatch();
  }

  #record(result: PipelineSendResult, started: number): void {
    const metrics = this.#metrics;
    if (!metrics) return;
    metrics.trend('smtp.send_time', this.#now() - started, this.#flowTags);
    metrics.count('smtp.codes', 1, this.#tagsFor(result.code));
    metrics.count(result.ok ? 'smtp.accepted' : 'smtp.rejected', 1, this.#flowTags);
    metrics.rate('smtp.success', result.ok, this.#flowTags);
    if (result.code === 0) countHarnessResourceError(metrics, result.response);
  }

  // Frozen, reused tag objects: the metrics registry caches their keys by identity.
  #tagsFor(code: number): Tags {
    let tags = this.#codeTags.get(code);
    if (!tags) {
      tags = Object.freeze({ code: String(code), flow: this.#flowTags.flow as string });
      this.#codeTags.set(code, tags);
    }
    return tags;
  }
}

export function createSmtpPipelineClient(options: SmtpPipelineClientOptions): SmtpPipelineClient {
  return new SmtpPipelineClient(options);
}

/** A pipelining client for a named endpoint of a stack; refuses one that asks for TLS. */
export function pipelineClientFor(endpoints: Endpoints, endpoint: string, options: Omit<SmtpPipelineClientOptions, 'host' | 'port' | 'tls' | 'endpoint'> = {}): SmtpPipelineClient {
  const { host, port } = resolveEndpoint(endpoints, endpoint);
  return new SmtpPipelineClient({ ...options, host, port, endpoint, tls: tlsOf(endpoints, endpoint) });
}
