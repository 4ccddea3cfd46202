// What the flows, the monitor and finish share during one run.
import type { FailoverSelector } from '../../chaos/failover.ts';
import { StackError } from '../../engine/errors.ts';
import type { RunContext } from '../../harness/scenario/types.ts';
import { StandbyAcceptances } from './assess.ts';
import { createFrontEnd, PRIMARY, STANDBY } from './front-end.ts';
import type { LeakFailoverParams } from './params.ts';
import { SubmissionTrendAlarm } from './trend-alarm.ts';

export interface Sender {
  address: string;
  auth: { user: string; pass: string };
}

export interface LeakFailoverData {
  frontEnd: FailoverSelector;
  alarm: SubmissionTrendAlarm;
  standby: StandbyAcceptances;
  /** clock ms of the run's t = 0 (the EventLog's time base) */
  runStartedAt: number;
  /** when the primary's proxy went down, ms since the run started; learnt by the monitor */
  failedAtMs?: number;
  /** events already scanned by the monitor */
  eventCursor: number;
  senders: Sender[];
  recipients: string[];
  /** submissions accepted / turned away, before and after the hard failure */
  tally: Record<'before_failure' | 'after_failure', { accepted: number; refused: number }>;
}

/** Name of the primary's proxy (the timeline's target): the proxy behind the submission endpoint. */
export const PRIMARY_PROXY = PRIMARY;
export { PRIMARY, STANDBY };

export async function createData(ctx: RunContext<LeakFailoverParams>): Promise<LeakFailoverData> {
  const p = ctx.params;
  const directory = ctx.stack.directory;
  if (!directory) throw new StackError('the stack has no directory: leak-failover needs a population of senders');
  const senders: Sender[] = [];
  const recipients: string[] = [];
  for (let i = 0; i < directory.userCount; i++) {
    const address = directory.addressAt(i);
    const user = directory.user(address);
    if (!user) throw new StackError(`the directory has no user at index ${i}`);
    if (i < p.senders) senders.push({ address, auth: { user: address, pass: user.password } });
    else recipients.push(address);
  }
  // The event's time tells the run's t = 0 on the run clock, so flows can stamp times the same way.
  const rule = ctx.events.record('failover_rule', {
    endpoints: [PRIMARY, STANDBY], check: 'smtp banner', intervalMs: p.checkIntervalMs, failuresToDown: p.failuresToDown, successesToUp: 1,
  });
  const runStartedAt = ctx.clock.now() - rule.t;
  const frontEnd = createFrontEnd({
    endpoints: ctx.endpoints, clock: ctx.clock, events: ctx.events, metrics: ctx.metrics, intervalMs: p.checkIntervalMs, failuresToDown: p.failuresToDown,
  });
  await frontEnd.start();
  if (ctx.signal.aborted) {
    // The run gave up while the first checks ran: nobody will call teardown with this data.
    await frontEnd.stop();
    throw ctx.signal.reason;
  }
  return {
    frontEnd,
    alarm: new SubmissionTrendAlarm({ events: ctx.events, minAbsoluteIncrease: p.alarmAboveMs }),
    standby: new StandbyAcceptances(),
    runStartedAt,
    eventCursor: 0,
    senders,
    recipients: recipients.length > 0 ? recipients : senders.map((s) => s.address),
    tally: { before_failure: { accepted: 0, refused: 0 }, after_failure: { accepted: 0, refused: 0 } },
  };
}
