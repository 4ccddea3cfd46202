// What the flows, the monitor, finish and teardown share during one cutover run, and the setup
// that reads the population and records every checked user's mailbox and login beforehand.
import { ToxiproxyApi } from '../../chaos/toxiproxy-api.ts';
import { StackError, errorMessage } from '../../engine/errors.ts';
import type { RunContext } from '../../harness/scenario/types.ts';
import { CutoverFrontEnd, HealthWindow, type Platform } from './front-end.ts';
import { eachLimited, readMailbox, type MailboxView } from './mailboxes.ts';
import { nodeRoles, type CutoverParams } from './params.ts';

export interface Account {
  address: string;
  auth: { user: string; pass: string };
}

/** One message a sender got accepted, and by which platform; times are clock ms. */
export interface Sent {
  id: string;
  recipient: string;
  firstAttemptAt: number;
  acceptedAt: number;
  platform: Platform;
  /** first attempted after the switch */
  window: boolean;
}

export interface CutoverData {
  /** clock ms of the run's t = 0 (the EventLog's time base) */
  runStartedAt: number;
  /** clock ms the load starts (the end of setup), which the switch and the hand rollback count from */
  loadStartedAt: number;
  frontEnd: CutoverFrontEnd;
  health: HealthWindow;
  toxiproxy: ToxiproxyApi;
  roles: ReturnType<typeof nodeRoles>;
  /** every account's address: the mailbox routing that moves at the switch and the rollback */
  addresses: string[];
  recipients: Account[];
  senders: Account[];
  passwordOf: Map<string, string>;
  /** checked users' INBOX before the switch, and who could log in then */
  before: Map<string, MailboxView>;
  loginsBefore: Set<string>;
  sent: Sent[];
  /** messages that finally bounced (the sender gave up), and the reply codes they last saw */
  bounced: { firstAttemptAt: number; code: number; window: boolean }[];
  /** acceptances per node of the new platform (index = node - 1) */
  acceptedByNode: number[];
  crashed: Set<number>;
  switching: boolean;
  /** clock ms of the switch, the first failure on the new side, the rollback */
  switchedAt?: number;
  calledOff?: string;
  failedAt?: number;
  rolledBackAt?: number;
  drainBack?: Promise<void>;
  /** ledger id -> clock ms it was moved back to the old store */
  movedAt: Map<string, number>;
  drainedAt?: number;
  drainErrors: string[];
}

export async function createData(ctx: RunContext<CutoverParams>): Promise<CutoverData> {
  const p = ctx.params;
  const directory = ctx.stack.directory;
  if (!directory) throw new StackError('the stack has no directory: cutover needs a population');
  if (!ctx.stack.routeUser) throw new StackError('cutover needs a stack that routes mail per user (Stack.routeUser) between the "old" and "new" mailstores');
  const addresses: string[] = [];
  const passwordOf = new Map<string, string>();
  for (let i = 0; i < directory.userCount; i++) {
    const address = directory.addressAt(i);
    const user = directory.user(address);
    if (!user) throw new StackError(`the directory has no user at index ${i}`);
    addresses.push(address);
    passwordOf.set(address, user.password);
  }
  const account = (address: string): Account => ({ address, auth: { user: address, pass: passwordOf.get(address) as string } });
  // Recipients spread over the population; everyone else may submit.
  const step = addresses.length / p.recipients;
  const picked = new Set(Array.from({ length: p.recipients }, (_, k) => addresses[Math.floor((k + 0.5) * step)] as string));
  const recipients = [...picked].map(account);
  const senders = addresses.filter((a) => !picked.has(a)).map(account);

  const before = new Map<string, MailboxView>();
  const loginsBefore = new Set<string>();
  await eachLimited(recipients, 6, async (r) => {
    try {
      before.set(r.address, (await readMailbox(ctx.imap, r.auth, 'imap')).view);
      loginsBefore.add(r.address);
    } catch (error) {
      ctx.events.record('login_failed_before', { user: r.address, error: errorMessage(error) });
    }
  });
  const mark = ctx.events.record('cutover_plan', {
    protected: p.protected, accounts: addresses.length, recipients: recipients.length, nodes: p.newNodes, roles: nodeRoles(p).join(','),
  });
  return {
    runStartedAt: ctx.clock.now() - mark.t,
    loadStartedAt: ctx.clock.now(),
    frontEnd: new CutoverFrontEnd(ctx.random.fork('front-end')),
    health: new HealthWindow(p.healthWindowSeconds * 1000),
    toxiproxy: new ToxiproxyApi(ctx.endpoints.toxiproxy),
    roles: nodeRoles(p),
    addresses, recipients, senders, passwordOf, before, loginsBefore,
    sent: [], bounced: [], acceptedByNode: Array.from({ length: p.newNodes }, () => 0), crashed: new Set(),
    switching: false, movedAt: new Map(), drainErrors: [],
  };
}

/** ms since the run started, for events and reports. */
export const runMs = (d: CutoverData, clockMs: number): number => clockMs - d.runStartedAt;
