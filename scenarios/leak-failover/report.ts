// After the drain: the replay's answers as gate metrics and figures. A metric a gate reads
// is recorded only when it was measured (the alarm fired, the standby took mail), so a
// missing one fails its gate with "no samples" instead of passing on a default.
import type { RunContext } from '../../harness/scenario/types.ts';
import { assess } from './assess.ts';
import { INCIDENT_OUTAGE_HOURS, phases, simDays, type LeakFailoverParams } from './params.ts';
import { PRIMARY_PROXY, type LeakFailoverData } from './state.ts';

type Ctx = RunContext<LeakFailoverParams> & { data: LeakFailoverData };

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

export async function reportReplay(ctx: Ctx): Promise<void> {
  const { data, params: p, metrics } = ctx;
  await data.frontEnd.stop();
  const layout = phases(p);
  const a = assess(ctx.events.all(), PRIMARY_PROXY, data.standby.times, ctx.clock.now() - data.runStartedAt);
  const front = data.frontEnd.report();
  const compression = `leak time-compressed ${layout.compression.toLocaleString('en-GB')}x (${p.secondsPerSimDay} real s per simulated day); failure and failover in real time`;

  ctx.figure('time_compression', { value: layout.compression, unit: 'x', note: compression });
  if (a.leakStartedAtMs !== undefined && a.failedAtMs !== undefined) {
    ctx.figure('leak_days_before_failure', { value: round(simDays(p, (a.failedAtMs - a.leakStartedAtMs) / 1000)), unit: 'simulated days', note: `from the first toxic on "${PRIMARY_PROXY}" to the hard failure; ${compression}` });
  }

  if (a.leadSeconds !== undefined) {
    const days = simDays(p, a.leadSeconds);
    metrics.trend('degradation_lead_days', days);
    ctx.figure('degradation_lead_days', { value: round(days), unit: 'simulated days', note: `trend alarm ${round(a.leadSeconds)} real s before the hard failure; ${compression}` });
  } else {
    ctx.figure('degradation_lead_days', { value: 0, unit: 'simulated days', note: a.failedAtMs === undefined ? 'the hard failure never happened in this run' : 'the trend alarm never fired before the run ended' });
  }

  const watched = a.watchedAfterFailureSeconds ?? 0;
  metrics.count('standby_accepted_after_failure', a.standbyAcceptsAfterFailure);
  if (a.failoverSeconds !== undefined) {
    metrics.trend('failover_seconds', a.failoverSeconds);
    ctx.figure('failover_seconds', { value: round(a.failoverSeconds, 2), unit: 's', note: `real seconds from the hard failure to the first message the standby accepted (RTO ${p.rtoSeconds} s)` });
  } else {
    ctx.figure('failover_seconds', {
      value: round(watched), unit: 's',
      note: `no failover: the standby accepted nothing in the ${round(watched)} s watched after the hard failure (at the incident's pace the outage lasted ${INCIDENT_OUTAGE_HOURS} h)`,
    });
  }
  ctx.figure('standby_accepted_after_failure', { value: a.standbyAcceptsAfterFailure, unit: 'messages', note: `messages the standby accepted in the ${round(watched)} real s watched after the hard failure` });
  ctx.figure('standby_healthy', {
    value: front.standbyWasHealthy ? 1 : 0, text: front.standbyWasHealthy ? 'healthy' : 'never healthy',
    note: front.standbyWasHealthy ? 'the standby passed its health checks while the primary was down' : 'the standby never passed a health check while the primary was down',
  });
  ctx.figure('failovers', { value: front.failovers.length, unit: 'switches', note: `times the front end switched endpoint: ${front.failovers.map((f) => `${f.from ?? 'none'} -> ${f.to ?? 'none'}`).join(', ') || 'never'}` });
  const after = data.tally.after_failure;
  const before = data.tally.before_failure;
  ctx.figure('submissions_refused_after_failure', {
    value: after.refused, unit: 'messages',
    note: `background submissions refused after the hard failure; ${after.accepted} accepted; before it ${before.accepted} accepted and ${before.refused} refused (stalls of the leaking device)`,
  });
  if (a.failedAtMs !== undefined) {
    ctx.figure('primary_failed_at_seconds', { value: round(a.failedAtMs / 1000, 2), unit: 's since start', note: `real seconds from the start of the run to the primary's hard failure (${compression})` });
  }
  if (a.detectedAtMs !== undefined) {
    ctx.figure('degradation_detected_at_seconds', { value: round(a.detectedAtMs / 1000, 2), unit: 's since start', note: `real seconds from the start of the run to the trend alarm on "${PRIMARY_PROXY}" (${compression})` });
  }
}
