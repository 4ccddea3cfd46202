// A stack someone else runs, located by --config. Nothing is started or stopped; only
// endpoints the config names are used, and reading any other is a StackError.
import { StackError } from '../../engine/errors.ts';
import type { Endpoints, HostPort, Stack, StackProvider, StackSpec } from '../types.ts';
import { parseRemoteConfig } from './config.ts';

function missing(name: string): never {
  throw new StackError(`the remote stack config names no "${name}" endpoint, and this scenario needs it`);
}

/** Spec fields a remote stack cannot apply: its owner configures them. */
function unappliedNotes(spec: StackSpec): string[] {
  return Object.keys(spec).filter((k) => spec[k as keyof StackSpec] !== undefined)
    .map((k) => `spec.${k} not applied: a remote stack is configured by its owner`);
}

export const remoteProvider: StackProvider = {
  kind: 'remote',
  async start(options) {
    if (!options.config) throw new StackError('the remote stack needs --config naming its endpoints');
    const c = parseRemoteConfig(options.config);
    const endpoints = {
      get smtp(): HostPort { return c.smtp ?? missing('smtp'); },
      get submission(): HostPort { return c.submission ?? missing('submission'); },
      get imap(): HostPort { return c.imap ?? missing('imap'); },
      get activesync(): string { return c.activesync ?? missing('activesync'); },
      get toxiproxy(): string { return c.toxiproxy ?? missing('toxiproxy'); },
      proxies: c.proxies ? Object.fromEntries(Object.entries(c.proxies).map(([name, p]) => [name, { name, ...p }])) : {},
      extra: c.extra ?? {},
    } satisfies Endpoints;
    const named = ['smtp', 'submission', 'imap', 'activesync', 'toxiproxy'].filter((k) => c[k as keyof typeof c] !== undefined);
    const stack: Stack = {
      description: {
        kind: 'remote',
        components: named.map((name) => ({ name, endpoint: JSON.stringify(c[name as keyof typeof c]) })),
        notes: [...(c.description ? [c.description] : []), ...unappliedNotes(options.spec)],
      },
      endpoints,
      queueDepth: () => undefined,
      stop: async () => {},
      [Symbol.asyncDispose]: async () => {},
    };
    return stack;
  },
};
