// The embedded stack's part of --config: only `tls`, how its fakes offer TLS (none by default).
import { InputError } from '../../engine/errors.ts';
import type { TlsMode } from '../../engine/endpoints.ts';

export interface EmbeddedStackConfig {
  /** starttls: SMTP and IMAP require STARTTLS; implicit: TLS from the first byte; both serve ActiveSync over https. */
  tls: TlsMode;
}

const KEYS = ['tls'];
const MODES: readonly TlsMode[] = ['starttls', 'implicit', 'none'];

export function embeddedConfig(raw: Record<string, unknown> | undefined, where = '--config'): EmbeddedStackConfig {
  const c = raw ?? {};
  for (const key of Object.keys(c)) {
    if (!KEYS.includes(key)) throw new InputError(`${where}: embedded stack config: unknown field "${key}"; allowed: ${KEYS.join(', ')}`);
  }
  const tls = c['tls'] ?? 'none';
  if (typeof tls !== 'string' || !(MODES as readonly string[]).includes(tls)) {
    throw new InputError(`${where}: embedded stack config: tls must be one of ${MODES.join(', ')}, got ${JSON.stringify(tls)}`);
  }
  return { tls: tls as TlsMode };
}
