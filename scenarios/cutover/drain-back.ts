// The runbook's drain-back after a rollback: every message accepted before the rollback that is
// not in its user's mailbox on the old platform but sits on the new platform's store is moved
// there (IMAP FETCH from the new store, APPEND with its flags and date to the old), once.
// Not only mail the new platform accepted: while the mailboxes pointed at the new store, the
// old platform's queue delivered there too (a real Postfix still holds a backlog at the
// switch). It starts once the stack says deliveries under way to the new store are answered,
// so the new store's content is final; sweeps repeat until one finds nothing new.
import { errorMessage } from '../../engine/errors.ts';
import type { RunContext } from '../../harness/scenario/types.ts';
import { eachLimited, readMailbox } from './mailboxes.ts';
import type { CutoverParams } from './params.ts';
import type { CutoverData } from './state.ts';

type Ctx = RunContext<CutoverParams> & { data: CutoverData };

const MAX_SWEEPS = 5;
const SESSIONS = 8;

/** Moves the user's messages in `wanted` that the old mailbox lacks and the new store holds. */
async function sweepUser(ctx: Ctx, address: string, wanted: Set<string>): Promise<number> {
  const d = ctx.data;
  const auth = { user: address, pass: d.passwordOf.get(address) as string };
  // The old mailbox first (no slow store in the way): most of the user's mail is already home.
  const home = (await readMailbox(ctx.imap, auth, 'imap')).view.ids;
  const absent = new Set([...wanted].filter((id) => !home.has(id)));
  if (absent.size === 0) return 0;
  const { kept } = await readMailbox(ctx.imap, auth, 'imap-new', (id) => absent.has(id) && !d.movedAt.has(id));
  if (kept.length === 0) return 0;
  const old = await ctx.imap.connect(auth, 'imap');
  let moved = 0;
  try {
    for (const m of kept) {
      await old.append('INBOX', m.source, m.flags, m.internalDate);
      d.movedAt.set(m.id, ctx.clock.now());
      ctx.metrics.count('cutover_mail', 1, { to: 'moved_back' });
      moved++;
    }
  } finally {
    await old.logout().catch(() => old.close());
  }
  return moved;
}

/** `settled`: the stack's word that deliveries to the new store under way at the rollback are answered. */
export async function drainBack(ctx: Ctx, settled: Promise<unknown>): Promise<void> {
  const d = ctx.data;
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  await settled.catch(() => undefined);
  const rolledBackAt = d.rolledBackAt ?? ctx.clock.now();
  for (let k = 0; k < MAX_SWEEPS; k++) {
    await pause(1000);
    // Everything accepted before the rollback and not moved yet, by recipient.
    const wanted = new Map<string, Set<string>>();
    for (const s of d.sent) {
      if (s.acceptedAt > rolledBackAt || d.movedAt.has(s.id)) continue;
      wanted.set(s.recipient, (wanted.get(s.recipient) ?? new Set()).add(s.id));
    }
    let moved = 0;
    await eachLimited([...wanted.keys()], SESSIONS, async (address) => {
      try {
        // Awaited first: `moved += await ...` would add to the value read before the wait.
        const n = await sweepUser(ctx, address, wanted.get(address) as Set<string>);
        moved += n;
      } catch (error) {
        if (d.drainErrors.length < 10) d.drainErrors.push(`${address}: ${errorMessage(error)}`);
      }
    });
    ctx.events.record('drainback_sweep', { sweep: k + 1, users: wanted.size, moved });
    if (moved === 0 && k > 0) break;
  }
  d.drainedAt = ctx.clock.now();
  ctx.events.record('drainback_done', { moved: d.movedAt.size, errors: d.drainErrors.length });
}
