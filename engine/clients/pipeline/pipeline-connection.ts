// One SMTP connection of the pipelining client. Replies come back in the order commands
// were written, so each written command pushes an expectation and each reply settles the
// oldest one: that is how a 4xx/5xx in the middle of a pipeline lands on the right message.
// With PIPELINING (RFC 2920) MAIL, every RCPT and DATA go in one write, and a message's data
// goes in the same write as the next message's commands; without it, one command at a time.
import net from 'node:net';
import { ReplyParser, type Reply } from './reply-parser.ts';
import type { Transaction } from './transaction.ts';

type Kind = 'greeting' | 'ehlo' | 'mail' | 'rcpt' | 'data' | 'end' | 'rset' | 'quit';

interface Expectation {
  kind: Kind;
  tx?: Transaction;
  /** RCPT: index of the recipient in the envelope. */
  index?: number;
}

export interface ConnectionHooks {
  /** The connection can take a transaction now. */
  onFree(connection: PipelineConnection): void;
  /** A queued transaction to pipeline behind the current one, if any. */
  takeNext(): Transaction | undefined;
  /** The connection is gone; `ready` says whether it ever finished EHLO. */
  onClosed(connection: PipelineConnection, ready: boolean, failure: { code: number; text: string }): void;
}

export interface ConnectionOptions {
  host: string;
  port: number;
  clientName: string;
  timeoutMs: number;
}

const RSET = 'RSET\r\n';

export class PipelineConnection {
  #socket: net.Socket;
  readonly #parser = new ReplyParser();
  readonly #expect: Expectation[] = [{ kind: 'greeting' }];
  #ready = false;
  #pipelining = false;
  /** Commands written, DATA's reply not yet in: no other transaction may start. */
  #busy: Transaction | undefined;
  #closing = false;
  #failure = { code: 0, text: 'connection closed' };

  constructor(
    private readonly options: ConnectionOptions,
    private readonly hooks: ConnectionHooks,
  ) {
    this.#socket = net.connect({ host: options.host, port: options.port, noDelay: true });
    this.#socket.setTimeout(options.timeoutMs);
    this.#socket.on('data', (chunk: Buffer) => this.#parser.push(chunk, (reply) => this.#onReply(reply)));
    this.#socket.on('timeout', () => {
      if (this.#expect.length > 0) this.#socket.destroy(new Error(`no reply from ${options.host}:${options.port} within ${options.timeoutMs} ms`));
      else this.quit();
    });
    this.#socket.on('error', (error) => {
      this.#failure = { code: 0, text: error.message };
    });
    this.#socket.on('close', () => this.#onClose());
  }

  get pipelining(): boolean {
    return this.#pipelining;
  }

  /** Ending (QUIT sent or about to be, or the socket is gone): takes no new transaction. */
  get closing(): boolean {
    return this.#closing || this.#socket.destroyed;
  }

  /** Starts a transaction; only called after onFree. */
  begin(tx: Transaction, prefix = ''): void {
    this.#busy = tx;
    this.#socket.write(prefix + this.#commandsOf(tx));
  }

  /** Ends the session politely once nothing is in flight (at once when idle). */
  quit(): void {
    if (this.#closing) return;
    this.#closing = true;
    if (this.#expect.length === 0) this.#sendQuit();
  }

  destroy(): void {
    this.#socket.destroy();
  }

  #sendQuit(): void {
    this.#expect.push({ kind: 'quit' });
    this.#socket.end('QUIT\r\n');
  }

  #commandsOf(tx: Transaction): string {
    if (this.#pipelining) {
      this.#expect.push({ kind: 'mail', tx });
      for (let i = 0; i < tx.envelope.to.length; i++) this.#expect.push({ kind: 'rcpt', tx, index: i });
      this.#expect.push({ kind: 'data', tx });
      return tx.commands();
    }
    this.#expect.push({ kind: 'mail', tx });
    return `MAIL FROM:<${tx.envelope.from}>\r\n`;
  }

  #onReply(reply: Reply): void {
    const expectation = this.#expect.shift();
    if (!expectation) return; // unsolicited (e.g. a 421 before closing): the close handles it
    const { kind, tx } = expectation;
    if (reply.code === 421) this.#failure = { code: 421, text: reply.text };
    const ok = reply.code >= 200 && reply.code < 300;
    switch (kind) {
      case 'greeting':
        if (reply.code !== 220) return this.#abort(reply);
        this.#expect.push({ kind: 'ehlo' });
        this.#socket.write(`EHLO ${this.options.clientName}\r\n`);
        return;
      case 'ehlo':
        if (!ok) return this.#abort(reply);
        this.#pipelining = /^250[ -]PIPELINING\b/im.test(reply.text);
        this.#ready = true;
        return this.#free();
      case 'mail':
        if (!ok) tx!.firstFailure ??= { code: reply.code, text: reply.text };
        if (this.#pipelining) return;
        if (!ok) return this.#failBeforeData(tx!, '');
        this.#expect.push({ kind: 'rcpt', tx: tx!, index: 0 });
        this.#socket.write(`RCPT TO:<${tx!.envelope.to[0]}>\r\n`);
        return;
      case 'rcpt':
        return this.#onRcpt(tx!, expectation.index!, reply, ok);
      case 'data':
        return this.#onData(tx!, reply);
      case 'end':
        if (ok) tx!.succeed(reply.code, reply.text);
        else tx!.fail(reply.code, reply.text);
        if (this.#closing && this.#expect.length === 0) this.#sendQuit();
        return;
      case 'rset':
      case 'quit':
        return;
    }
  }

  #onRcpt(tx: Transaction, index: number, reply: Reply, ok: boolean): void {
    const recipient = tx.envelope.to[index] as string;
    if (ok) tx.accepted.push(recipient);
    else {
      tx.rejected.push({ recipient, code: reply.code, response: reply.text });
      tx.firstFailure ??= { code: reply.code, text: reply.text };
    }
    if (this.#pipelining) return;
    const next = index + 1;
    if (next < tx.envelope.to.length) {
      this.#expect.push({ kind: 'rcpt', tx, index: next });
      this.#socket.write(`RCPT TO:<${tx.envelope.to[next]}>\r\n`);
    } else if (tx.accepted.length > 0) {
      this.#expect.push({ kind: 'data', tx });
      this.#socket.write('DATA\r\n');
    } else this.#failBeforeData(tx, RSET);
  }

  #onData(tx: Transaction, reply: Reply): void {
    this.#busy = undefined;
    if (reply.code !== 354) return this.#failBeforeData(tx, RSET, reply);
    // A server that takes DATA with no recipient accepted gets an empty message and no mail.
    const data = tx.accepted.length > 0 ? tx.data : Buffer.from('.\r\n');
    if (tx.accepted.length === 0) tx.firstFailure ??= { code: 554, text: 'no valid recipients' };
    this.#expect.push({ kind: 'end', tx });
    const next = this.#closing ? undefined : this.hooks.takeNext();
    // One write for the data and the next message's commands (cork: a single writev).
    this.#socket.cork();
    this.#socket.write(data);
    if (next) this.begin(next);
    this.#socket.uncork();
    if (tx.accepted.length === 0) tx.fail(tx.firstFailure!.code, tx.firstFailure!.text);
    if (!next) this.#free();
  }

  /** The transaction ended before its data: settle it, reset the session, go on. */
  #failBeforeData(tx: Transaction, reset: string, reply?: Reply): void {
    this.#busy = undefined;
    const failure = tx.firstFailure ?? { code: reply?.code ?? 0, text: reply?.text ?? 'transaction failed' };
    tx.fail(failure.code, failure.text);
    if (reset) this.#expect.push({ kind: 'rset' });
    const next = this.#closing ? undefined : this.hooks.takeNext();
    if (next) this.begin(next, reset);
    else {
      if (reset) this.#socket.write(reset);
      this.#free();
    }
  }

  #free(): void {
    if (this.#closing) {
      if (this.#expect.length === 0) this.#sendQuit();
      return;
    }
    this.hooks.onFree(this);
  }

  #abort(reply: Reply): void {
    this.#failure = { code: reply.code, text: reply.text };
    this.#socket.destroy();
  }

  #onClose(): void {
    // Everything written and not yet answered fails: never counted accepted.
    for (const { tx } of this.#expect.splice(0)) if (tx && !tx.settled) tx.fail(this.#failure.code, this.#failure.text);
    if (this.#busy && !this.#busy.settled) this.#busy.fail(this.#failure.code, this.#failure.text);
    this.#busy = undefined;
    this.hooks.onClosed(this, this.#ready, this.#failure);
  }
}
