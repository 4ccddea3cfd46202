// The runbook's drain-back after a rollback: every message that reached the new platform's
// store during the window is moved into the user's mailbox on the old one (IMAP FETCH from the
// new store, APPEND with its flags and date to the old), once. Sweeps repeat until one finds
// nothing new, so a delivery that was in flight at the rollback is not left behind.
import { errorMessage } from '../../engine/errors.ts';
import type { RunContext } from '../../harness/scenario/types.ts';
import { eachLimited, readMailbox } from './mailboxes.ts';
import type { CutoverParams } from './params.ts';
import type { CutoverData } from './state.ts';

type Ctx = RunContext<CutoverParams> & { data: CutoverData };

const MAX_SWEEPS = 5;
const SESSIONS = 8;

async function sweep(ctx: Ctx, users: readonly string[]): Promise<number> {
  const d = ctx.data;
  let moved = 0;
  await eachLimited(users, SESSIONS, async (address) => {
    const auth = { user: address, pass: d.passwordOf.get(address) as string };
    try {
      const { kept } = await readMailbox(ctx.imap, auth, 'imap-new', (id) => !d.movedAt.has(id));
      if (kept.length === 0) return;
      const old = await ctx.imap.connect(auth, 'imap');
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
    } catch (error) {
      if (d.drainErrors.length < 10) d.drainErrors.push(`${address}: ${errorMessage(error)}`);
    }
  });
  return moved;
}

export async function drainBack(ctx: Ctx): Promise<void> {
  const d = ctx.data;
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  // Only users who were sent mail through the new platform can have mail on it.
  for (let k = 0; k < MAX_SWEEPS; k++) {
    await pause(1000);
    const users = [...new Set(d.sent.filter((s) => s.platform === 'new' && !d.movedAt.has(s.id)).map((s) => s.recipient))];
    const moved = users.length === 0 ? 0 : await sweep(ctx, users);
    ctx.events.record('drainback_sweep', { sweep: k + 1, users: users.length, moved });
    if (moved === 0 && k > 0) break;
  }
  d.drainedAt = ctx.clock.now();
  ctx.events.record('drainback_done', { moved: d.movedAt.size, errors: d.drainErrors.length });
}
