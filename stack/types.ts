// What a stack provider (embedded | docker | remote) gives a run: endpoints, each fronted
// by a Toxiproxy proxy so chaos can reach it, plus mailstorm's own directory and ledger.
import type { Clock } from '../engine/clock.ts';
import type { Random } from '../engine/random.ts';
import type { MetricsSink } from '../engine/metrics/types.ts';
import type { Ledger } from '../engine/ledger/types.ts';
import type { EventLog } from '../engine/events.ts';
import type { MtaSpec } from '../engine/mta-spec.ts';


export type { Endpoints, HostPort, ProxyInfo } from '../engine/endpoints.ts';
export type { MtaSpec, StormProtectionSpec } from '../engine/mta-spec.ts';
import type { Endpoints } from '../engine/endpoints.ts';

export interface StackComponent {
  name: string;
  version?: string;
  image?: string;
  digest?: string;
  endpoint?: string;
}

export interface StackDescription {
  /** The provider's kind (one of stack/providers.ts's StackKind). */
  kind: string;
  components: StackComponent[];
  notes: string[];
}

export type LockoutPolicyName = 'ad' | 'smart' | 'none';

/**
 * What a scenario asks of the stack. Every field is optional; providers apply documented
 * defaults. A provider that cannot honour a field fails with a StackError naming it.
 */
export interface StackSpec {
  population?: {
    organisations: { name: string; users: number }[];
    /** Share of users whose password fails the stricter policy (forced reset). */
    weakPasswordShare?: number;
    /** Devices per user are drawn uniformly from 0..maxDevices. */
    maxDevices?: number;
  };
  /** Distribution lists: members "all" or the first N users. */
  lists?: { address: string; members: 'all' | number }[];
  lockout?: {
    policy: LockoutPolicyName;
    threshold?: number;
    /** ms of simulated time */
    observationWindowMs?: number;
    /** ms of simulated time; 0 = until an engineer unlocks */
    lockoutDurationMs?: number;
  };
  helpdesk?: { engineers: number; unlocksPerEngineerPerHour: number };
  mta?: MtaSpec;
  /** Run a standby MTA behind its own proxy ("submission-standby", "smtp-standby"). */
  standby?: {
    enabled: boolean;
    broken?: boolean;
    /**
     * Nodes of the standby platform, each behind its own proxy pair so chaos can fail one
     * node and not the others: node 1 is "smtp-standby"/"submission-standby", node k > 1
     * "smtp-standby-k"/"submission-standby-k" (default 1). Docker: one standby container behind
     * every node's proxies.
     */
    nodes?: number;
    /**
     * Sizing of the standby MTA where it differs from `mta` (a smaller or slower platform).
     * Docker: delivery pacing by Postfix's rate delay, highWater as postfwd's intake limit (stack notes say how).
     */
    mta?: Pick<NonNullable<StackSpec['mta']>, 'deliveryWorkers' | 'deliveryRatePerSec' | 'highWater'>;
  };
  /** Named mailstores; default ["main"]. Each gets an IMAP endpoint "imap-<name>" in extra. */
  mailstores?: {
    name: string;
    /** seed every user's mailbox with this many messages (log-normal sizes) */
    seedMessages?: { median: number; sigma: number; sizeMedianBytes: number };
    /** share of mailboxes seeded with a message that fails to fetch */
    corruptShare?: number;
    /**
     * Exact number of corrupt mailboxes instead of drawing each by corruptShare: the provider
     * marks the users with dense indexes floor((k + 0.5) * userCount / corruptMailboxes),
     * k = 0..corruptMailboxes-1, so a success-rate gate is not at the mercy of the draw.
     */
    corruptMailboxes?: number;
  }[];
  /** Where mail for the population is finally delivered: a mailstore name or "sink". */
  deliverTo?: string;
}

export interface StackOptions {
  spec: StackSpec;
  /** Simulated clock for policy (lockout windows, helpdesk); may run faster than real time. */
  clock: Clock;
  /**
   * The run's wall clock, which the ledger's times are in: arrivals are stamped with it so
   * delivery latency stays in real milliseconds when policy time is compressed. Default: system clock.
   */
  wallClock?: Clock;
  random: Random;
  metrics: MetricsSink;
  ledger: Ledger;
  events: EventLog;
  /** Folder for logs (container logs, fake traces). */
  logDir: string;
  /** From --config, for docker/remote providers. */
  config?: Record<string, unknown>;
}

export interface Stack extends AsyncDisposable {
  readonly description: StackDescription;
  readonly endpoints: Endpoints;
  /** mailstorm's directory: the population, lockouts, helpdesk. Present whenever a population was asked for. */
  readonly directory?: import('../directory/types.ts').DirectoryService;
  /**
   * Migrations: from now on, mail for `address` is delivered to the named mailstore instead of
   * `deliverTo` (the mailbox moved). Present on stacks with several mailstores.
   * A stack whose stores commit asynchronously (docker) returns a promise that settles once
   * deliveries the old store was already committing for the user are done: a mover that
   * awaits it before its last sweep of the old store cannot miss one. Embedded: void (atomic).
   */
  routeUser?(address: string, mailstore: string): void | Promise<void>;
  /** Deliveries waiting in the MTA queue(s), when the stack can tell. */
  queueDepth(): number | undefined;
  /** Threads of this process the stack runs on besides the main one (the embedded fault proxy's). */
  readonly threads?: number;
  /**
   * How clients must resolve names to reach this stack: a remote stack's allow-list refuses
   * any connection to an address outside it. Absent: the system's resolver.
   */
  readonly lookup?: import('node:net').LookupFunction;
  /**
   * Why this stack cannot show mailstorm its deliveries (a remote platform); the ledger's
   * gates are then not evaluated, never read as lost mail. Absent: deliveries are seen.
   */
  readonly deliveriesUnseen?: string;
  /**
   * How the clients log accounts in, when the platform asks for more than a password over
   * the mechanism the client picks: a forced PLAIN or LOGIN, or OAuth2 tokens. Absent: passwords.
   */
  readonly auth?: import('../engine/clients/auth/types.ts').ClientAuth;
  /** The embedded stack with auth: oauth2: the token its directory issued each account (tests read it). */
  readonly oauthTokens?: import('../directory/oauth-tokens.ts').OAuthTokens;
  /**
   * How a stack that does not own the mailstores counts deliveries after the load (a remote
   * reconcile over IMAP), run in place of waiting for the sink. Absent: the ledger's own drain.
   */
  readonly collectDeliveries?: DeliveryCollector;
  /** A file whose appearance stops the run's load at once (a remote stack's kill switch). */
  readonly killSwitch?: string;
  /** Stops everything the provider started; safe to call twice. */
  stop(): Promise<void>;
}

export interface DeliveryCollector {
  /** The longest collect() may take (ms) when that is not the drain timeout; the run's time limit allows for it. */
  readonly timeoutMs?: number | undefined;
  /**
   * Feeds the ledger every delivery it can find until none is outstanding or the timeout (its
   * own, else `drainMs`) passed; marks mailboxes it cannot read as unverified.
   */
  collect(options: { drainMs: number; signal: AbortSignal }): Promise<{ drained: boolean; waitedMs: number }>;
}

export interface StackProvider {
  /** The kind it is registered as in stack/providers.ts. */
  readonly kind: string;
  start(options: StackOptions): Promise<Stack>;
}
