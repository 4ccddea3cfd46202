// Plays the planned lockout day: takes due events earliest first and performs them through
// a transport (IMAP LOGIN for users, ActiveSync for devices in a run; the directory itself
// in a unit test). User events and device events wait in separate queues so slow logins
// never hold up the devices' heartbeats. A reset starts the stale devices' retries; each
// retry schedules the next one interval after it really happened, as a device's timer does.
import type { Random } from '../../engine/random.ts';
import type { DirectoryService } from '../../directory/types.ts';
import { EventQueue } from './event-queue.ts';
import type { LockoutEvent, LockoutPlan, PlannedUser, RetryModel } from './device-retry.ts';

export type AuthOutcome = 'ok' | 'bad-password' | 'locked' | 'must-change-password' | 'error';

export interface LockoutTransport {
  /** The user types a password (IMAP LOGIN in a run). */
  userLogin(address: string, password: string): Promise<AuthOutcome>;
  /** A device presents the password it holds (ActiveSync in a run). */
  deviceSync(address: string, deviceId: string, password: string): Promise<AuthOutcome>;
}

export interface WorkloadTally {
  userLogins: Record<AuthOutcome, number>;
  deviceSyncs: Record<AuthOutcome, number>;
  resets: number;
  resetFailures: number;
  devicesUpdated: number;
  mistypes: number;
}

const emptyOutcomes = (): Record<AuthOutcome, number> => ({ ok: 0, 'bad-password': 0, locked: 0, 'must-change-password': 0, error: 0 });

const SYMBOLS = '!#%&*+?@';

export type Lane = 'user' | 'device';

const laneOf = (event: LockoutEvent): Lane => (event.kind === 'reset' || event.kind === 'login' ? 'user' : 'device');

export class LockoutWorkload {
  readonly queues: Record<Lane, EventQueue<LockoutEvent>> = { user: new EventQueue(), device: new EventQueue() };
  readonly tally: WorkloadTally = { userLogins: emptyOutcomes(), deviceSyncs: emptyOutcomes(), resets: 0, resetFailures: 0, devicesUpdated: 0, mistypes: 0 };
  readonly #users: PlannedUser[];

  constructor(
    private readonly directory: DirectoryService,
    plan: LockoutPlan,
    private readonly model: RetryModel,
    private readonly random: Random,
    private readonly transport: LockoutTransport,
    /** simulated ms since T0, now */
    private readonly elapsed: () => number,
  ) {
    this.#users = plan.users;
    for (const event of plan.events) this.#push(event);
  }

  #push(event: LockoutEvent): void {
    if (event.at < this.model.horizonMs) this.queues[laneOf(event)].push(event);
  }

  get users(): readonly PlannedUser[] {
    return this.#users;
  }

  /** The earliest event of a lane not yet taken (both lanes when none is named), removed from its queue. */
  take(lane?: Lane): LockoutEvent | undefined {
    if (lane) return this.queues[lane].pop();
    const u = this.queues.user.peek();
    const d = this.queues.device.peek();
    if (!u && !d) return undefined;
    return this.queues[!d || (u && u.at <= d.at) ? 'user' : 'device'].pop();
  }

  async perform(event: LockoutEvent): Promise<void> {
    const user = this.#users[event.user];
    if (!user) return;
    switch (event.kind) {
      case 'login':
        return this.#login(user);
      case 'reset':
        return this.#reset(user, event);
      case 'sync':
        return this.#sync(user, event);
      case 'update':
        if (this.directory.updateDevicePassword(user.address, user.devices[event.device]?.id ?? '')) this.tally.devicesUpdated++;
    }
  }

  async #login(user: PlannedUser): Promise<void> {
    const password = this.directory.user(user.address)?.password ?? '';
    if (this.random.next() < this.model.mistypeShare) {
      user.mistyped = true;
      this.tally.mistypes++;
      this.tally.userLogins[await this.transport.userLogin(user.address, this.#typo(password))]++;
    }
    this.tally.userLogins[await this.transport.userLogin(user.address, password)]++;
  }

  async #reset(user: PlannedUser, event: LockoutEvent): Promise<void> {
    // The old password still works but the platform demands a new one.
    const old = this.directory.user(user.address)?.password ?? '';
    this.tally.userLogins[await this.transport.userLogin(user.address, old)]++;
    const changed = this.directory.changePassword(user.address, this.#strongPassword());
    if (!changed.ok) {
      this.tally.resetFailures++;
      return;
    }
    this.tally.resets++;
    const primary = user.devices.find((d) => d.primary);
    if (primary && this.directory.updateDevicePassword(user.address, primary.id)) this.tally.devicesUpdated++;
    if (primary) primary.done = true;
    // From now on every further device holds a stale copy: it retries within one interval,
    // and the user gets round to updating it a log-normal delay later.
    const now = this.elapsed();
    user.devices.forEach((device, slot) => {
      if (device.primary) return;
      this.#push({ kind: 'sync', user: event.user, device: slot, at: now + this.random.next() * device.intervalMs });
      this.#push({ kind: 'update', user: event.user, device: slot, at: now + this.random.logNormal(this.model.deviceUpdateMedianMs, this.model.delaySigma) });
    });
    await this.#login(user);
  }

  async #sync(user: PlannedUser, event: Extract<LockoutEvent, { kind: 'sync' }>): Promise<void> {
    const device = user.devices[event.device];
    const held = this.directory.user(user.address)?.devices[event.device];
    if (!device || !held || device.done) return;
    const outcome = await this.transport.deviceSync(user.address, held.id, held.password);
    this.tally.deviceSyncs[outcome]++;
    if (outcome === 'ok' && !held.stale) {
      device.done = true;
      return;
    }
    this.#push({ ...event, at: Math.max(event.at, this.elapsed()) + device.intervalMs });
  }

  /** A typo: one character more, different each time (so smart lockout counts each one). */
  #typo(password: string): string {
    return `${password}${String.fromCharCode(97 + this.random.int(0, 25))}${this.random.int(0, 99)}`;
  }

  /** A password that passes the stricter policy (length >= 10, three classes). */
  #strongPassword(): string {
    let out = '';
    for (let i = 0; i < 8; i++) out += String.fromCharCode(97 + this.random.int(0, 25));
    return `${out}${this.random.int(10, 99)}${SYMBOLS[this.random.int(0, SYMBOLS.length - 1)]}K`;
  }
}
