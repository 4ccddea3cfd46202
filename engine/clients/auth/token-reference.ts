// An OAuth2 access token named in a config or population file: `file:PATH` (read again when
// it expires, so another process can keep the file fresh) or `command:PROGRAM ARGS...` (run
// without a shell, bounded in time, stdout trimmed). The command may print the bare token or
// a token endpoint's JSON ({"access_token", "expires_in"}, or az's "accessToken"/"expires_on").
// A token is re-read when it expires (the JSON's expiry, else a JWT's exp claim) and when the
// platform refuses it. The token never appears in an error message.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { systemClock, type Clock } from '../../clock.ts';
import { InputError, errorMessage } from '../../errors.ts';
import { scrub } from '../../secrets.ts';
import { splitArgv } from './argv.ts';
import type { TokenSource } from './types.ts';

export type TokenReference = { kind: 'file'; path: string } | { kind: 'command'; argv: string[] };

/** Read again this long before the stated expiry, so no login goes out with a dying token. */
const EXPIRY_MARGIN_MS = 60_000;
const DEFAULT_TIMEOUT_MS = 10_000;

/** Checks a reference's form (file:PATH or command:...); relative paths are taken from `baseDir`. */
export function parseTokenReference(ref: string, where: string, baseDir: string): TokenReference {
  if (ref.startsWith('file:') && ref.length > 5) return { kind: 'file', path: path.resolve(baseDir, ref.slice(5)) };
  if (ref.startsWith('command:')) return { kind: 'command', argv: splitArgv(ref.slice(8), where) };
  throw new InputError(`${where}: give file:PATH or command:PROGRAM ARGS; a token is never written in the file itself`);
}

export interface ReferencedTokenOptions {
  /** Names the key in messages, e.g. "--config: auth.token". */
  where: string;
  /** Folder relative paths are read from (the config's or population file's). */
  baseDir: string;
  clock?: Clock;
  /** A command running longer is killed and the read fails (default 10 s). */
  timeoutMs?: number;
}

export class ReferencedToken implements TokenSource {
  readonly reference: TokenReference;
  readonly #options: ReferencedTokenOptions;
  readonly #clock: Clock;
  #current: { token: string; expiresAt: number } | undefined;
  #reading: Promise<string> | undefined;

  constructor(ref: string, options: ReferencedTokenOptions) {
    this.reference = parseTokenReference(ref, options.where, options.baseDir);
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
  }

  /** Where the token comes from, for a report: never the command's arguments. */
  get origin(): string {
    return this.reference.kind === 'file' ? `the file ${this.reference.path}` : `the command ${path.basename(this.reference.argv[0]!)}`;
  }

  async token(): Promise<string> {
    const current = this.#current;
    if (current && this.#clock.now() < current.expiresAt - EXPIRY_MARGIN_MS) return current.token;
    return this.refresh();
  }

  refresh(): Promise<string> {
    this.#reading ??= this.#read().finally(() => { this.#reading = undefined; });
    return this.#reading;
  }

  async #read(): Promise<string> {
    const raw = this.reference.kind === 'file' ? await this.#readFile(this.reference.path) : await this.#run(this.reference.argv);
    const { token, expiresAt } = parseToken(raw.trim(), this.#clock.now());
    if (!token) throw new InputError(`${this.#options.where}: ${this.origin} gave no token`);
    this.#current = { token, expiresAt };
    return token;
  }

  async #readFile(file: string): Promise<string> {
    try {
      return await readFile(file, 'utf8');
    } catch (error) {
      throw new InputError(`${this.#options.where}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? errorMessage(error)})`);
    }
  }

  #run(argv: string[]): Promise<string> {
    const [program, ...args] = argv as [string, ...string[]];
    const timeout = this.#options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const where = `${this.#options.where}: the command ${path.basename(program)}`;
    return new Promise((resolve, reject) => {
      execFile(program, args, { cwd: this.#options.baseDir, timeout, killSignal: 'SIGKILL', maxBuffer: 1024 * 1024, windowsHide: true, encoding: 'utf8' }, (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        const failure = error as NodeJS.ErrnoException & { killed?: boolean; code?: string | number };
        // stderr may explain the failure; anything in it that looks like the last token is scrubbed
        const said = scrub(String(stderr).trim().split('\n')[0]?.slice(0, 200) ?? '', [this.#current?.token]);
        if (failure.code === 'ENOENT') reject(new InputError(`${where}: no such program (${program})`));
        else if (failure.killed) reject(new InputError(`${where}: gave no token within ${timeout / 1000} s and was stopped`));
        else reject(new InputError(`${where}: exited with ${failure.code ?? 'an error'}${said ? `: ${said}` : ''}`));
      });
    });
  }
}

/** The token and when to read it again: a token endpoint's JSON expiry, a JWT's exp, or never (until refused). */
function parseToken(text: string, now: number): { token: string; expiresAt: number } {
  if (text.startsWith('{')) {
    try {
      const json = JSON.parse(text) as Record<string, unknown>;
      const token = String(json['access_token'] ?? json['accessToken'] ?? '');
      const expiresIn = Number(json['expires_in']);
      const expiresOn = Number(json['expires_on']);
      const expiresAt = Number.isFinite(expiresIn) && expiresIn > 0 ? now + expiresIn * 1000 : Number.isFinite(expiresOn) && expiresOn > 0 ? expiresOn * 1000 : jwtExpiry(token);
      return { token, expiresAt };
    } catch {
      // not JSON after all: the whole output is the token
    }
  }
  return { token: text, expiresAt: jwtExpiry(text) };
}

function jwtExpiry(token: string): number {
  const payload = token.split('.')[1];
  if (token.split('.').length !== 3 || !payload) return Infinity;
  try {
    const exp = Number((JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }).exp);
    return Number.isFinite(exp) && exp > 0 ? exp * 1000 : Infinity;
  } catch {
    return Infinity;
  }
}
