// One mover moving one account over IMAP: log in to both stores at once, read every source
// mailbox, switch the user's mail delivery to the target, sweep what arrived meanwhile, APPEND
// everything to the target with its flags and date, then read the target back and check each
// message (hash, once, flags).
// A mailbox whose messages cannot be read is corrupt: reported by name, left on the source.
import { createHash } from 'node:crypto';
import type { ImapFlow } from 'imapflow';
import { errorMessage } from '../../engine/errors.ts';
import type { ImapConnector } from '../../engine/clients/types.ts';

export interface SourceMessage {
  uid: number;
  hash: string;
  flags: string[];
  internalDate?: Date;
  source: Buffer;
}

export interface Integrity {
  /** source messages not found on the target */
  missing: number;
  /** source messages found more than once on the target */
  duplicated: number;
  /** found, but with different flags */
  flagsLost: number;
}

export type MoveResult =
  | { status: 'moved'; address: string; messages: number; bytes: number; integrity: Integrity }
  | { status: 'corrupt'; address: string; mailbox: string; uids: number[]; error: string; messages: number }
  | { status: 'failed'; address: string; stage: string; error: string; messages: number };

export interface MoveRequest {
  address: string;
  password: string;
  imap: ImapConnector;
  /** switches delivery of this user's new mail to a mailstore ("target", or back to "source") */
  /** Resolves once mail already on its way to the old store has landed there (a real MTA may be mid-delivery). */
  route: (address: string, store: string) => void | Promise<void>;
}

/** imapflow's "Command failed" plus what the server said, when it said something. */
function describe(error: unknown): string {
  const text = (error as { responseText?: unknown })?.responseText;
  return typeof text === 'string' && text ? `${errorMessage(error)}: ${text}` : errorMessage(error);
}

const hashOf = (source: Buffer): string => createHash('sha256').update(source).digest('hex');
/** \Recent is session state, not a kept flag (RFC 3501). */
const keptFlags = (flags: Set<string> | undefined): string[] => [...(flags ?? [])].filter((f) => f !== '\\Recent').sort();

class CorruptMailbox extends Error {
  constructor(readonly mailbox: string, readonly uids: number[], cause: string) {
    super(cause);
  }
}

/** Reads messages with uid > afterUid; on a read failure finds the unreadable uids one by one. */
async function readMailbox(client: ImapFlow, path: string, afterUid: number): Promise<SourceMessage[]> {
  const box = await client.mailboxOpen(path, { readOnly: true });
  if (box.exists === 0) return [];
  const range = `${afterUid + 1}:*`;
  try {
    const fetched = await client.fetchAll(range, { uid: true, flags: true, internalDate: true, source: true }, { uid: true });
    return fetched.filter((m) => m.uid > afterUid).map((m) => {
      if (!m.source) throw new Error(`message uid ${m.uid} came back without its body`);
      return {
        uid: m.uid, hash: hashOf(m.source), flags: keptFlags(m.flags), source: m.source,
        ...(m.internalDate !== undefined && { internalDate: new Date(m.internalDate) }),
      };
    });
  } catch (error) {
    const uids = (await client.fetchAll(range, { uid: true }, { uid: true }).catch(() => [])).map((m) => m.uid).filter((u) => u > afterUid);
    const bad: number[] = [];
    for (const uid of uids.slice(0, 10_000)) {
      const ok = await client.fetchOne(String(uid), { source: true }, { uid: true }).then((m) => m !== false && m.source !== undefined, () => false);
      if (!ok) bad.push(uid);
    }
    throw new CorruptMailbox(path, bad, describe(error));
  }
}

async function listMailboxes(client: ImapFlow): Promise<string[]> {
  const list = await client.list();
  return list.filter((m) => !m.flags?.has('\\Noselect')).map((m) => m.path);
}

/** Compares what the target holds with what the source held. */
export function verify(source: readonly SourceMessage[], target: readonly { hash: string; flags: string[] }[]): Integrity {
  const onTarget = new Map<string, string[][]>();
  for (const t of target) onTarget.set(t.hash, [...(onTarget.get(t.hash) ?? []), t.flags]);
  const wanted = new Map<string, SourceMessage[]>();
  for (const s of source) wanted.set(s.hash, [...(wanted.get(s.hash) ?? []), s]);
  const integrity: Integrity = { missing: 0, duplicated: 0, flagsLost: 0 };
  for (const [hash, copies] of wanted) {
    const found = onTarget.get(hash) ?? [];
    integrity.missing += Math.max(0, copies.length - found.length);
    integrity.duplicated += Math.max(0, found.length - copies.length);
    const want = (copies[0] as SourceMessage).flags.join(' ');
    integrity.flagsLost += found.filter((f) => f.join(' ') !== want).length;
  }
  return integrity;
}

async function closeQuietly(client: ImapFlow | undefined): Promise<void> {
  if (!client) return;
  await client.logout().catch(() => client.close());
}

export async function moveAccount(req: MoveRequest): Promise<MoveResult> {
  const { address } = req;
  const auth = { user: address, pass: req.password };
  let source: ImapFlow | undefined;
  let target: ImapFlow | undefined;
  let stage = 'source login';
  let routed = false;
  const held = new Map<string, SourceMessage[]>();
  let messages = 0;
  // Both sessions log in at once: on a real store a login is the slowest step of a small
  // mailbox's move, and the second one need not wait for the first (a failure surfaces below).
  const targetLogin = req.imap.connect(auth, 'imap-target');
  targetLogin.catch(() => undefined);
  try {
    source = await req.imap.connect(auth, 'imap-source');
    stage = 'source read';
    const boxes = await listMailboxes(source);
    for (const path of boxes) held.set(path, await readMailbox(source, path, 0));
    // Everything readable: new mail goes to the target from now on, then sweep what came meanwhile.
    // Wait for deliveries already under way to the source, so the sweep below sees them.
    await req.route(address, 'target');
    routed = true;
    stage = 'source sweep';
    // Deliveries land only in INBOX, so only INBOX can have grown since it was read.
    for (const path of boxes.filter((b) => b.toUpperCase() === 'INBOX')) {
      const have = held.get(path) ?? [];
      const last = have.reduce((m, s) => Math.max(m, s.uid), 0);
      have.push(...(await readMailbox(source, path, last)));
      held.set(path, have);
    }
    messages = [...held.values()].reduce((n, list) => n + list.length, 0);
    stage = 'target login';
    target = await targetLogin;
    const existing = new Set(await listMailboxes(target));
    let bytes = 0;
    const integrity: Integrity = { missing: 0, duplicated: 0, flagsLost: 0 };
    for (const [path, list] of held) {
      stage = `append ${path}`;
      if (!existing.has(path) && path.toUpperCase() !== 'INBOX') await target.mailboxCreate(path);
      for (const m of list) {
        await target.append(path, m.source, m.flags, m.internalDate);
        bytes += m.source.length;
      }
      stage = `verify ${path}`;
      const copied = list.length === 0 ? [] : (await target.mailboxOpen(path, { readOnly: true }), await target.fetchAll('1:*', { uid: true, flags: true, source: true }));
      const found = verify(list, copied.map((c) => ({ hash: hashOf(c.source ?? Buffer.alloc(0)), flags: keptFlags(c.flags) })));
      integrity.missing += found.missing;
      integrity.duplicated += found.duplicated;
      integrity.flagsLost += found.flagsLost;
    }
    return { status: 'moved', address, messages, bytes, integrity };
  } catch (error) {
    // Never half-moved: new mail goes back to where the mailbox still is.
    if (routed) await req.route(address, 'source');
    if (error instanceof CorruptMailbox) {
      return { status: 'corrupt', address, mailbox: error.mailbox, uids: error.uids, error: error.message, messages };
    }
    return { status: 'failed', address, stage, error: describe(error), messages };
  } finally {
    // A target session that logged in while the source failed is closed too.
    target ??= await targetLogin.catch(() => undefined);
    await Promise.all([closeQuietly(source), closeQuietly(target)]);
  }
}
