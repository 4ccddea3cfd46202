// Splits an IMAP byte stream into whole commands, reading `{n}` / `{n+}` literals across TCP
// chunks, so the command parser (emailjs-imap-handler) always gets one complete command.
// Memory per connection is bounded by maxLineBytes and maxCommandBytes, and before login by
// maxUnauthenticatedBytes: as Dovecot's imap-login, a client that has not logged in cannot
// make the server buffer more than a few KB ("* BYE Literal size too large", then close).

export interface FramerLimits {
  /** Longest line outside literals. */
  maxLineBytes: number;
  /** Largest whole command, literals included (an APPEND of a large message). */
  maxCommandBytes: number;
  /** Largest line or command (literals included) before authentication. */
  maxUnauthenticatedBytes?: number;
}

export interface FramerHooks {
  command(bytes: Buffer): void;
  /** A synchronizing literal was announced: the server must send "+ ...". */
  continueLiteral(): void;
  /** The command was refused before its literal was sent; the connection stays usable. */
  refuse(tag: string, reason: string): void;
  /** The stream cannot be resynchronised (line too long, oversized non-synchronizing literal). */
  fatal(reason: string): void;
  /** Whether the session has logged in (the pre-login cap no longer applies); default true. */
  authenticated?(): boolean;
}

const CRLF = Buffer.from('\r\n');
const LITERAL_AT_END = /\{(\d{1,12})(\+)?\}$/;

export class CommandFramer {
  #buffer: Buffer = Buffer.alloc(0);
  #parts: Buffer[] = [];
  #partBytes = 0;
  #literalLeft = 0;
  #stopped = false;

  constructor(private readonly limits: FramerLimits, private readonly hooks: FramerHooks) {}

  stop(): void {
    this.#stopped = true;
    this.#buffer = Buffer.alloc(0);
    this.#parts = [];
  }

  push(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    while (!this.#stopped) {
      if (this.#literalLeft > 0) {
        const take = Math.min(this.#literalLeft, this.#buffer.length);
        if (take === 0) return;
        this.#add(this.#buffer.subarray(0, take));
        this.#buffer = this.#buffer.subarray(take);
        this.#literalLeft -= take;
        continue;
      }
      const newline = this.#buffer.indexOf(10);
      const maxLine = this.#preAuthCap() ?? this.limits.maxLineBytes;
      if (newline < 0 || newline > maxLine) {
        if (this.#buffer.length > maxLine) this.#fatal('line too long');
        return;
      }
      const end = newline > 0 && this.#buffer[newline - 1] === 13 ? newline - 1 : newline;
      const line = this.#buffer.subarray(0, end);
      this.#buffer = this.#buffer.subarray(newline + 1);
      this.#line(line);
    }
  }

  #line(line: Buffer): void {
    const literal = LITERAL_AT_END.exec(line.subarray(Math.max(0, line.length - 16)).toString('latin1'));
    if (!literal) {
      this.#add(line);
      const command = Buffer.concat(this.#parts, this.#partBytes);
      this.#reset();
      this.hooks.command(command);
      return;
    }
    const size = Number(literal[1]);
    const nonSync = literal[2] === '+';
    const preAuth = this.#preAuthCap();
    if (preAuth !== undefined && this.#partBytes + line.length + size > preAuth) {
      // Dovecot's login process refuses before "+ OK", so the literal is never read.
      return this.#fatal('Literal size too large');
    }
    if (this.#partBytes + line.length + size > this.limits.maxCommandBytes) {
      if (nonSync) return this.#fatal('literal too large');
      const first = this.#parts[0] ?? line;
      this.#reset();
      this.hooks.refuse(tagOf(first), `literal of ${size} bytes is larger than the limit of ${this.limits.maxCommandBytes}`);
      return;
    }
    this.#add(line);
    this.#add(CRLF);
    this.#literalLeft = size;
    if (!nonSync) this.hooks.continueLiteral();
  }

  /** The pre-login limit while it applies (smaller than the general ones), else undefined. */
  #preAuthCap(): number | undefined {
    const cap = this.limits.maxUnauthenticatedBytes;
    if (cap === undefined || (this.hooks.authenticated?.() ?? true)) return undefined;
    return Math.min(cap, this.limits.maxLineBytes, this.limits.maxCommandBytes);
  }

  #add(part: Buffer): void {
    this.#parts.push(part);
    this.#partBytes += part.length;
  }

  #reset(): void {
    this.#parts = [];
    this.#partBytes = 0;
  }

  #fatal(reason: string): void {
    this.stop();
    this.hooks.fatal(reason);
  }
}

/** The tag of a command line, or "*" when the line has none worth echoing. */
export function tagOf(line: Buffer): string {
  const m = /^([A-Za-z0-9.\-_!#$&'+,:;<=>?@^`|~]{1,64}) /.exec(line.subarray(0, 80).toString('latin1'));
  return m?.[1] ?? '*';
}
