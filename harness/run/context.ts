// The context setup, flows, monitor, finish and teardown receive: the run's clocks,
// seeded random, metrics, ledger, events, the stack and one protocol client of each kind.
import type { Figure, RunContext } from '../scenario/types.ts';
import type { SmtpClient } from '../../engine/clients/types.ts';
import { createSmtpClient } from '../../engine/clients/smtp-client.ts';
import { createImapConnector } from '../../engine/clients/imap-client.ts';
import { createHttpClient } from '../../engine/clients/http-client.ts';
import { httpsTargets } from '../../engine/clients/tls.ts';

/** What the run hands over to build the scenario's context; the clients are made here. */
export type ContextParts = Pick<
  RunContext<Record<string, unknown>>,
  'params' | 'clock' | 'simClock' | 'random' | 'signal' | 'metrics' | 'ledger' | 'events' | 'stack'
> & {
  /** figures reported through ctx.figure() land here */
  figures: Record<string, Figure>;
  /** metrics declared unmeasured through ctx.unmeasured(), with why */
  unmeasured: Map<string, string>;
};

export function buildContext(parts: ContextParts): RunContext<Record<string, unknown>> {
  const { stack, metrics, ledger, clock } = parts;
  const endpoints = stack.endpoints;
  // Distribution lists expand to their members, so the ledger expects each member's copy.
  const directory = stack.directory;
  // How the stack's accounts log in (a forced SASL mechanism, OAuth2 tokens), for every client.
  const auth = stack.auth && { auth: stack.auth };
  return {
    params: parts.params,
    clock,
    simClock: parts.simClock,
    random: parts.random,
    signal: parts.signal,
    metrics,
    ledger,
    events: parts.events,
    stack,
    endpoints,
    smtp: createSmtpClient({ endpoints, ledger, metrics, clock, ...(directory ? { expand: (address: string) => directory.expand(address) } : {}), ...auth }),
    imap: createImapConnector({ endpoints, metrics, clock, ...auth }),
    http: createHttpClient({ metrics, clock, tls: httpsTargets(endpoints), ...(stack.lookup && { lookup: stack.lookup }), ...auth }),
    figure: (name, figure) => {
      parts.figures[name] = figure;
    },
    unmeasured: (metric, why) => {
      parts.unmeasured.set(metric, why);
    },
  };
}

/** The same SMTP client, with the ledger flow tag defaulting to the calling flow's name. */
export function smtpForFlow(smtp: SmtpClient, flow: string): SmtpClient {
  return {
    send: (request) => smtp.send({ ...request, flow: request.flow ?? flow }),
    close: () => smtp.close(),
  };
}
