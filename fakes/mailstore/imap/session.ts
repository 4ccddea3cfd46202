// One IMAP connection's state and command dispatch. Parsing is emailjs-imap-handler's; this
// file decides what each command means. Every failure is an IMAP answer (BAD/NO), never a throw.
import handler from 'emailjs-imap-handler';
import type { DirectoryService, AuthSource } from '../../../directory/types.ts';
import type { MailStore } from '../mailstore.ts';
import type { Mailbox } from '../mailbox.ts';
import { BadCommand, text, type Attr, type ParsedCommand } from './attributes.ts';
import { tagOf } from './framing.ts';
import { mailboxCommands } from './mailbox-commands.ts';
import type { TokenVerifier } from '../../../directory/oauth-tokens.ts';

export const CAPABILITIES = 'IMAP4rev1 LITERAL+ SASL-IR AUTH=PLAIN ID ENABLE NAMESPACE UIDPLUS UNSELECT';

export interface SessionIo {
  write(chunk: string | Buffer): void;
  /** Resolves once the peer has read what was written (immediately when nothing is waiting). */
  drained(): Promise<void>;
  /** Stops / restarts reading commands from the peer. */
  pause(): void;
  resume(): void;
  /** Ends the connection after pending writes. */
  end(): void;
  /** Upgrades the connection to TLS in place (STARTTLS); present when the server offers it. */
  startTls?(): void;
}

export interface SessionContext {
  store: MailStore;
  directory: DirectoryService;
  io: SessionIo;
  /** STARTTLS offered (and required before a login), or the connection is TLS from the start. Default: cleartext. */
  tls?: 'starttls' | 'implicit';
  /** OAuth2 only: AUTHENTICATE XOAUTH2 with the account's token; passwords are refused. */
  tokens?: TokenVerifier;
}

export type State = 'not-authenticated' | 'authenticated' | 'selected' | 'logout';

/** A command handler: returns the tagged completion (e.g. "OK done", "NO [..] ..."). */
export type Command = (session: ImapSession, tag: string, args: Attr[]) => string | Promise<string>;

/** Commands waiting behind a slow one before the session stops reading the socket. */
const MAX_QUEUED = 32;

export class ImapSession {
  state: State = 'not-authenticated';
  user = '';
  selected: Mailbox | undefined;
  readOnly = false;
  /** From the ID command ("x-device-id"), so a device's logins are attributed to it. */
  deviceId: string | undefined;
  /** An AUTHENTICATE waiting for its client response. */
  #sasl: { tag: string; mechanism: 'PLAIN' | 'XOAUTH2' } | undefined;
  readonly #queue: Buffer[] = [];
  #running = false;
  /** The connection is encrypted (implicit TLS, or after STARTTLS). */
  secure: boolean;

  constructor(readonly ctx: SessionContext) {
    this.secure = ctx.tls === 'implicit';
  }

  /** True until STARTTLS where the server requires it: no login in cleartext (RFC 3501's LOGINDISABLED). */
  get needsTls(): boolean {
    return this.ctx.tls === 'starttls' && !this.secure;
  }

  /** What the server offers: XOAUTH2 too when the stack's accounts log in with OAuth2; no login before STARTTLS where it is required. */
  capabilities(): string {
    const offered = this.ctx.tokens ? `${CAPABILITIES} AUTH=XOAUTH2` : CAPABILITIES;
    return this.needsTls ? `${offered.replace(' AUTH=PLAIN', '').replace(' AUTH=XOAUTH2', '')} STARTTLS LOGINDISABLED` : offered;
  }

  greet(): void {
    this.ctx.io.write(`* OK [CAPABILITY ${this.capabilities()}] mailstorm IMAP ready\r\n`);
  }

  write(line: string | Buffer): void {
    this.ctx.io.write(line);
  }

  /** Queues one complete command (literals included, final CRLF removed); commands run one at a time, in order. */
  handle(raw: Buffer): void {
    if (this.state === 'logout') return;
    this.#queue.push(raw);
    if (this.#queue.length > MAX_QUEUED) this.ctx.io.pause();
    if (!this.#running) void this.#drain();
  }

  async #drain(): Promise<void> {
    this.#running = true;
    try {
      for (let raw = this.#queue.shift(); raw && this.state !== 'logout'; raw = this.#queue.shift()) {
        await this.#execute(raw);
        if (this.#queue.length <= MAX_QUEUED / 2) this.ctx.io.resume();
      }
    } catch (error) {
      // A defect in command handling must cost this connection, never the server.
      this.state = 'logout';
      this.write(`* BYE internal error: ${error instanceof Error ? error.message : 'unknown'}\r\n`);
      this.ctx.io.end();
    } finally {
      this.#running = false;
    }
  }

  async #execute(raw: Buffer): Promise<void> {
    if (this.#sasl !== undefined) return this.#finishSasl(raw.toString('latin1').trim());
    let parsed: ParsedCommand;
    try {
      parsed = handler.parser(new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength), { valueAsString: false }) as ParsedCommand;
    } catch (error) {
      this.write(`${tagOf(raw)} BAD Could not parse command: ${error instanceof Error ? error.message : 'syntax error'}\r\n`);
      return;
    }
    const tag = parsed.tag;
    // The parser joins some commands with their first argument ("UID FETCH", "AUTHENTICATE PLAIN").
    const [first = '', ...words] = String(parsed.command ?? '').split(' ');
    const name = first.toUpperCase();
    const args: Attr[] = [...words.map((value): Attr => ({ type: 'ATOM', value })), ...(parsed.attributes ?? [])];
    const command = COMMANDS[name] ?? mailboxCommands[name];
    if (!command) return this.write(`${tag} BAD Unknown command ${name.slice(0, 40)}\r\n`);
    try {
      const done = await command(this, tag, args);
      if (done) this.write(`${tag} ${done}\r\n`);
    } catch (error) {
      if (error instanceof BadCommand) this.write(`${tag} BAD ${error.message}\r\n`);
      else this.write(`${tag} NO [SERVERBUG] ${error instanceof Error ? error.message : 'internal error'}\r\n`);
    }
  }

  login(tag: string, address: string, password: string): string {
    // A platform that moved to OAuth2 has switched basic authentication off.
    if (this.ctx.tokens) return 'NO [AUTHENTICATIONFAILED] Basic authentication is disabled; use XOAUTH2';
    const source: AuthSource = this.deviceId ? { kind: 'device', deviceId: this.deviceId } : { kind: 'user' };
    const result = this.ctx.directory.authenticate(address, password, source);
    if (result.ok) {
      this.state = 'authenticated';
      this.user = address.trim().toLowerCase();
      return `OK [CAPABILITY ${this.capabilities()}] Logged in`;
    }
    // Reply codes from RFC 5530, so a client can tell a lockout from a bad password.
    switch (result.reason) {
      case 'locked':
        return 'NO [CONTACTADMIN] Account locked, contact the helpdesk';
      case 'must-change-password':
        return 'NO [EXPIRED] Password must be changed before logging in';
      default:
        return 'NO [AUTHENTICATIONFAILED] Authentication failed';
    }
  }

  startSasl(tag: string, mechanism: 'PLAIN' | 'XOAUTH2', initial: string | undefined): string {
    if (initial !== undefined) return this.#saslResult(mechanism, initial);
    this.#sasl = { tag, mechanism };
    this.write('+ \r\n');
    return '';
  }

  #finishSasl(line: string): void {
    const { tag, mechanism } = this.#sasl!;
    this.#sasl = undefined;
    this.write(`${tag} ${line === '*' ? 'BAD Authentication cancelled' : this.#saslResult(mechanism, line)}\r\n`);
  }

  #saslResult(mechanism: 'PLAIN' | 'XOAUTH2', base64: string): string {
    return mechanism === 'PLAIN' ? this.#plainResult(base64) : this.#xoauth2Result(base64);
  }

  /** user=<address>^Aauth=Bearer <token>^A^A, checked against the account's current token. */
  #xoauth2Result(base64: string): string {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) return 'BAD Invalid base64';
    const fields = new Map(Buffer.from(base64, 'base64').toString('utf8').split('\x01').filter(Boolean).map((f) => {
      const eq = f.indexOf('=');
      return [f.slice(0, eq).toLowerCase(), f.slice(eq + 1)] as const;
    }));
    const user = fields.get('user') ?? '';
    const token = /^Bearer (.+)$/i.exec(fields.get('auth') ?? '')?.[1] ?? '';
    if (!user || !token) return 'BAD Invalid XOAUTH2 response';
    if (!this.ctx.tokens?.verify(user, token) || !this.ctx.directory.exists(user)) return 'NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)';
    this.state = 'authenticated';
    this.user = user.trim().toLowerCase();
    return `OK [CAPABILITY ${this.capabilities()}] Logged in`;
  }

  #plainResult(base64: string): string {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) return 'BAD Invalid base64';
    const parts = Buffer.from(base64, 'base64').toString('utf8').split('\0');
    if (parts.length !== 3) return 'BAD Invalid PLAIN response';
    return this.login('', parts[1] ?? '', parts[2] ?? '');
  }

  /** Drops commands that came in behind this one: after STARTTLS, cleartext sent before the handshake must not run as if encrypted. */
  discardQueued(): void {
    this.#queue.length = 0;
  }

  requireState(...allowed: State[]): void {
    if (!allowed.includes(this.state)) {
      throw new BadCommand(this.state === 'not-authenticated' ? 'Log in first' : 'Command not valid in this state');
    }
  }
}

const COMMANDS: Record<string, Command> = {
  CAPABILITY: (s) => {
    s.write(`* CAPABILITY ${s.capabilities()}\r\n`);
    return 'OK CAPABILITY completed';
  },
  NOOP: () => 'OK NOOP completed',
  LOGOUT: (s, tag) => {
    s.write('* BYE Logging out\r\n');
    s.write(`${tag} OK LOGOUT completed\r\n`);
    s.state = 'logout';
    s.ctx.io.end();
    return '';
  },
  ID: (s, _tag, args) => {
    const fields = args[0];
    if (Array.isArray(fields)) {
      for (let i = 0; i + 1 < fields.length; i += 2) {
        const key = text(fields[i], 'ID field').toLowerCase();
        if (key === 'x-device-id' || key === 'device-id') s.deviceId = fields[i + 1] ? text(fields[i + 1], 'ID value') : undefined;
      }
    }
    s.write('* ID ("name" "mailstorm-imap")\r\n');
    return 'OK ID completed';
  },
  ENABLE: (s) => {
    s.requireState('authenticated', 'selected');
    s.write('* ENABLED\r\n');
    return 'OK ENABLE completed';
  },
  LOGIN: (s, tag, args) => {
    if (s.state !== 'not-authenticated') return 'BAD Already logged in';
    if (s.needsTls) return PRIVACY_REQUIRED;
    if (args.length !== 2) throw new BadCommand('LOGIN needs a user name and a password');
    return s.login(tag, text(args[0], 'user name'), text(args[1], 'password'));
  },
  AUTHENTICATE: (s, tag, args) => {
    if (s.state !== 'not-authenticated') return 'BAD Already logged in';
    if (s.needsTls) return PRIVACY_REQUIRED;
    const mechanism = text(args[0], 'mechanism').toUpperCase();
    if (mechanism === 'XOAUTH2' && s.ctx.tokens) return s.startSasl(tag, 'XOAUTH2', args[1] ? text(args[1], 'initial response') : undefined);
    if (mechanism !== 'PLAIN') return `NO [CANNOT] Only ${s.ctx.tokens ? 'PLAIN and XOAUTH2 are' : 'PLAIN is'} supported`;
    return s.startSasl(tag, 'PLAIN', args[1] ? text(args[1], 'initial response') : undefined);
  },
  NAMESPACE: (s) => {
    s.requireState('authenticated', 'selected');
    s.write('* NAMESPACE (("" "/")) NIL NIL\r\n');
    return 'OK NAMESPACE completed';
  },
  STARTTLS: (s, tag) => {
    if (!s.needsTls || !s.ctx.io.startTls) return s.secure ? 'BAD The connection is already encrypted' : 'BAD STARTTLS is not offered by this server';
    // The OK goes out in cleartext; the next byte from the client starts the handshake.
    s.write(`${tag} OK Begin TLS negotiation now\r\n`);
    s.discardQueued();
    s.secure = true;
    s.ctx.io.startTls();
    return '';
  },
};

const PRIVACY_REQUIRED = 'NO [PRIVACYREQUIRED] Log in only after STARTTLS: this server refuses cleartext logins';
