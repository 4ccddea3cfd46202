// The population's mail across the cutover. Each iteration is one message: an inbound relay
// from outside (as a sending MTA) or a submission by a user (as a mail client). It goes where
// the front end points now; a 4xx, a refused or reset connection is retried after
// `retrySeconds` (asking the front end again, which may have rolled back meanwhile) until
// `senderAttempts` are spent; then the message bounces. Ledger flow tags say which platform
// accepted it ("old" or "new").
import type { FlowContext } from '../../harness/scenario/types.ts';
import { crashNode, noteFailure } from './control.ts';
import type { Kind } from './front-end.ts';
import type { CutoverParams } from './params.ts';
import { runMs, type CutoverData } from './state.ts';

type Ctx = FlowContext<CutoverParams, CutoverData>;

/** Resolves after `ms`, or at once (false) when the run is stopping. */
function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(ok);
    };
    const onAbort = () => done(false);
    const timer = setTimeout(() => done(true), ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

async function deliverOne(ctx: Ctx, kind: Kind): Promise<void> {
  const { data: d, params: p } = ctx;
  const recipient = ctx.random.pick(d.recipients).address;
  const sender = kind === 'submission' ? ctx.random.pick(d.senders) : undefined;
  const firstAttemptAt = ctx.clock.now();
  const window = d.switchedAt !== undefined;
  let code = 0;
  for (let attempt = 1; attempt <= p.senderAttempts; attempt++) {
    const route = d.frontEnd.route(kind);
    const result = await ctx.smtp.send({
      from: sender?.address ?? `clinic${ctx.vu}@partner.example`, to: [recipient], ...(sender && { auth: sender.auth }),
      endpoint: route.endpoint, subject: `Referral ${ctx.vu}.${ctx.iteration}.${attempt}`, sizeBytes: Math.round(p.messageKB * 1024), flow: route.platform,
    });
    code = result.code;
    ctx.metrics.count('cutover_attempts', 1, { platform: route.platform, ok: String(result.ok) });
    if (route.platform === 'new') {
      d.health.record(runMs(d, ctx.clock.now()), result.ok);
      if (!result.ok) noteFailure(ctx, `${kind} attempt on node ${route.node} failed with ${result.code || 'a lost connection'}`);
    }
    if (result.ok) {
      d.sent.push({ id: result.id, recipient, firstAttemptAt, acceptedAt: ctx.clock.now(), platform: route.platform, window });
      ctx.metrics.count('cutover_mail', 1, { to: route.platform });
      ctx.metrics.rate('congestion_bounced', false, { kind });
      if (route.node !== undefined) {
        const i = route.node - 1;
        const accepted = (d.acceptedByNode[i] ?? 0) + 1;
        d.acceptedByNode[i] = accepted;
        if (d.roles[i] === 'crashes' && accepted >= p.crashAfterMessages) crashNode(ctx, route.node);
      }
      return;
    }
    if (result.code >= 500) break; // permanent: no sender retries a 5xx
    if (attempt < p.senderAttempts && !(await pause(p.retrySeconds * 1000, ctx.signal))) return;
  }
  d.bounced.push({ firstAttemptAt, code, window });
  ctx.metrics.count('cutover_mail', 1, { to: 'bounced' });
  ctx.metrics.rate('congestion_bounced', true, { kind });
}

export const inbound = (ctx: Ctx): Promise<void> => deliverOne(ctx, 'relay');
export const submit = (ctx: Ctx): Promise<void> => deliverOne(ctx, 'submission');
