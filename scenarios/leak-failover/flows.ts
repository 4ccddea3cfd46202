// Steady background mail: each iteration asks the front end where to submit and sends one
// message there. Ledger flow tags say which MTA accepted it ("primary" or "standby"), so
// mail_lost{flow:primary} is the mail the primary took before it died.
import type { FlowContext, RunContext } from '../../harness/scenario/types.ts';
import type { LeakFailoverParams } from './params.ts';
import { PRIMARY, PRIMARY_PROXY, type LeakFailoverData } from './state.ts';

type Ctx = FlowContext<LeakFailoverParams, LeakFailoverData>;

export async function submit(ctx: Ctx): Promise<void> {
  const { data, params: p } = ctx;
  const runNow = () => ctx.clock.now() - data.runStartedAt;
  const phase = data.failedAtMs !== undefined && runNow() >= data.failedAtMs ? 'after_failure' : 'before_failure';
  const endpoint = data.frontEnd.current();
  if (!endpoint) {
    // No healthy endpoint: the front end turns the user away.
    ctx.metrics.rate('submission_ok', false, { phase, via: 'none' });
    data.tally[phase].refused++;
    return;
  }
  const via = endpoint === PRIMARY ? 'primary' : 'standby';
  const sender = ctx.random.pick(data.senders);
  const to = ctx.random.pick(data.recipients);
  const started = ctx.clock.now();
  const result = await ctx.smtp.send({
    from: sender.address, to: [to], auth: sender.auth, endpoint, subject: `Clinic list ${ctx.vu}.${ctx.iteration}`, sizeBytes: Math.round(p.messageKB * 1024), flow: via,
  });
  ctx.metrics.rate('submission_ok', result.ok, { phase, via });
  data.tally[phase][result.ok ? 'accepted' : 'refused']++;
  if (!result.ok) return;
  if (via === 'primary') data.alarm.sample(ctx.clock.now() - started);
  else data.standby.record(runNow());
}

/** Once a second: learn when the primary died, feed the trend alarm, chart the front end's choice. */
export function watch(ctx: RunContext<LeakFailoverParams> & { data: LeakFailoverData; elapsedMs: number }): void {
  const { data } = ctx;
  const events = ctx.events.all();
  // Only the events since the last second are new: the scan is bounded by what arrived.
  for (; data.failedAtMs === undefined && data.eventCursor < events.length; data.eventCursor++) {
    const e = events[data.eventCursor];
    if (e?.type === 'fault' && e['action'] === 'disable' && e['target'] === PRIMARY_PROXY) data.failedAtMs = e.t;
  }
  const median = data.alarm.tick(Math.round(ctx.elapsedMs / 1000));
  if (median !== undefined) ctx.metrics.gauge('primary_submission_median_ms', median);
  const active = data.frontEnd.current();
  // 1 = primary, 2 = standby, 0 = nowhere to submit
  ctx.metrics.gauge('front_end_target', active === null ? 0 : active === PRIMARY ? 1 : 2);
}
