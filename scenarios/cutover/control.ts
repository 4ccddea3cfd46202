// The cutover's moves: the switch (behind a readiness check when protected), a node crashing
// after its share of messages, the first failure seen on the new side, and the rollback (by
// the health gate within seconds, or by hand much later when unprotected).
import { smtpBannerCheck } from '../../chaos/smtp-banner-check.ts';
import { errorMessage } from '../../engine/errors.ts';
import type { RunContext } from '../../harness/scenario/types.ts';
import { drainBack } from './drain-back.ts';
import { nodeEndpoint } from './front-end.ts';
import type { CutoverParams } from './params.ts';
import { runMs, type CutoverData } from './state.ts';

type Ctx = RunContext<CutoverParams> & { data: CutoverData };

const CHECK_TIMEOUT_MS = 2000;

/** Readiness: both proxies of a node answer a 220 banner. */
async function nodeReady(ctx: Ctx, node: number): Promise<boolean> {
  const checks = (['relay', 'submission'] as const).map((kind) => {
    const address = ctx.endpoints.extra[nodeEndpoint(kind, node)];
    return address ? smtpBannerCheck(address, { timeoutMs: CHECK_TIMEOUT_MS }) : Promise.resolve(false);
  });
  return (await Promise.all(checks)).every(Boolean);
}

/** Readiness of the new store: a checked user can log in and open INBOX on it. */
async function storeReady(ctx: Ctx): Promise<boolean> {
  const probe = ctx.data.recipients[0];
  if (!probe) return false;
  try {
    const client = await ctx.imap.connect(probe.auth, 'imap-new');
    await client.mailboxOpen('INBOX', { readOnly: true });
    await client.logout().catch(() => client.close());
    return true;
  } catch {
    return false;
  }
}

export async function cutOver(ctx: Ctx): Promise<void> {
  const { data: d, params: p } = ctx;
  const nodes = Array.from({ length: p.newNodes }, (_, i) => i + 1);
  let rotation = nodes;
  if (p.protected) {
    const [ready, store] = await Promise.all([Promise.all(nodes.map((n) => nodeReady(ctx, n))), storeReady(ctx)]);
    rotation = nodes.filter((_, i) => ready[i]);
    const share = rotation.length / nodes.length;
    const go = store && share >= p.readyQuorum && rotation.length > 0;
    ctx.events.record('readiness_check', { ready: rotation, notReady: nodes.filter((_, i) => !ready[i]), store, share, quorum: p.readyQuorum, verdict: go ? 'go' : 'no-go' });
    if (!go) {
      d.calledOff = `${rotation.length} of ${nodes.length} nodes ready (quorum ${p.readyQuorum}), store ${store ? 'ready' : 'not ready'}`;
      ctx.events.record('cutover_called_off', { reason: d.calledOff });
      return;
    }
  }
  const route = ctx.stack.routeUser;
  for (const address of d.addresses) await route?.(address, 'new');
  d.frontEnd.switchTo(rotation);
  d.switchedAt = ctx.clock.now();
  ctx.events.record('cutover_switch', { rotation, readinessChecked: p.protected });
}

/** A crashing node has accepted its share: its proxies go down (new connections refused, live ones cut). */
export function crashNode(ctx: Ctx, node: number): void {
  const d = ctx.data;
  if (d.crashed.has(node)) return;
  d.crashed.add(node);
  noteFailure(ctx, `node ${node} crashed`);
  ctx.events.record('node_crashed', { node, accepted: d.acceptedByNode[node - 1] });
  for (const kind of ['relay', 'submission'] as const) {
    d.toxiproxy.setEnabled(nodeEndpoint(kind, node), false).catch((error: unknown) => {
      ctx.events.record('warning', { message: `could not crash node ${node}: ${errorMessage(error)}` });
    });
  }
}

/** The first sign of trouble on the new side after the switch: the RTO counts from here. */
export function noteFailure(ctx: Ctx, what: string): void {
  const d = ctx.data;
  if (d.failedAt !== undefined || d.switchedAt === undefined || d.rolledBackAt !== undefined) return;
  d.failedAt = ctx.clock.now();
  ctx.events.record('cutover_failure', { what, secondsAfterSwitch: (d.failedAt - d.switchedAt) / 1000 });
}

export function rollBack(ctx: Ctx, how: 'health gate' | 'by hand', reason: string): void {
  const { data: d, params: p } = ctx;
  if (d.rolledBackAt !== undefined || d.switchedAt === undefined) return;
  d.frontEnd.rollBack();
  d.rolledBackAt = ctx.clock.now();
  // The users' mailboxes are the old platform's again; whatever the new queue still holds is
  // delivered there. The routes change at once; the promise settles when deliveries the new
  // store was committing are answered (docker), after which nothing more lands there.
  const settled = Promise.all(d.addresses.map((address) => ctx.stack.routeUser?.(address, 'old')));
  ctx.events.record('rollback', {
    how, reason, secondsAfterSwitch: (d.rolledBackAt - d.switchedAt) / 1000,
    ...(d.failedAt !== undefined && { secondsAfterFailure: (d.rolledBackAt - d.failedAt) / 1000 }),
  });
  if (p.protected) d.drainBack = drainBack(ctx, settled);
  else settled.catch(() => undefined);
}

/**
 * Once a second: switch on time, watch the health gate, roll back by hand when unprotected.
 * Times count from the start of the load, as the chaos timeline's do: a stack that takes long
 * to start (docker seeds every mailbox first) must not shorten the baseline or the window.
 */
export function watch(ctx: Ctx, switchAtMs: number, manualRollbackAtMs: number): void {
  const { data: d, params: p } = ctx;
  const sinceLoadMs = ctx.clock.now() - d.loadStartedAt;
  if (!d.switching && sinceLoadMs >= switchAtMs) {
    d.switching = true;
    cutOver(ctx).catch((error: unknown) => ctx.events.record('warning', { message: `cutover failed: ${errorMessage(error)}` }));
  }
  const now = ctx.clock.now();
  if (d.switchedAt !== undefined && d.rolledBackAt === undefined) {
    if (p.protected) {
      const h = d.health.read(runMs(d, now));
      ctx.metrics.gauge('new_platform_fail_share', h.failShare);
      if (h.attempts >= p.minHealthSamples && h.failShare > p.maxFailShare) {
        rollBack(ctx, 'health gate', `${Math.round(h.failShare * 100)}% of ${h.attempts} attempts on the new platform failed in ${p.healthWindowSeconds} s`);
      }
    } else if (sinceLoadMs >= manualRollbackAtMs) {
      rollBack(ctx, 'by hand', `${p.manualRollbackAfterSeconds} s after the switch, without health gates`);
    }
  }
  const onNew = d.acceptedByNode.reduce((a, b) => a + b, 0) - d.movedAt.size;
  ctx.metrics.gauge('mail_on_new_platform', onNew);
  ctx.metrics.gauge('front_end_platform', d.frontEnd.platform === 'old' ? 1 : 2);
}
