// The submission front end of the replayed platform: an ordered failover rule (primary
// first, then the standby), each endpoint health-checked by reading its SMTP banner every
// `checkIntervalMs`; `failuresToDown` failed checks in a row take an endpoint out, one good
// check brings it back, and traffic returns to the primary whenever it is up (priority
// order, like MX preference). Every standby check is a sample of `standby_check_ok`.
import { FailoverSelector } from '../../chaos/failover.ts';
import { smtpBannerCheck } from '../../chaos/smtp-banner-check.ts';
import { StackError } from '../../engine/errors.ts';
import type { Clock } from '../../engine/clock.ts';
import type { EventLog } from '../../engine/events.ts';
import type { MetricsSink } from '../../engine/metrics/types.ts';
import type { Endpoints, HostPort } from '../../stack/types.ts';

export const PRIMARY = 'submission';
export const STANDBY = 'submission-standby';
/** Longer than the worst leak latency, so a slow primary is slow, not down. */
export const CHECK_TIMEOUT_MS = 5000;

export interface FrontEndOptions {
  endpoints: Endpoints;
  clock: Clock;
  events: EventLog;
  metrics: MetricsSink;
  intervalMs: number;
  failuresToDown: number;
}

export function addressesOf(endpoints: Endpoints): Record<string, HostPort> {
  const standby = endpoints.extra[STANDBY];
  if (!standby) throw new StackError(`the stack offers no "${STANDBY}" endpoint: leak-failover needs a standby MTA (StackSpec.standby)`);
  return { [PRIMARY]: endpoints.submission, [STANDBY]: standby };
}

export function createFrontEnd(o: FrontEndOptions): FailoverSelector {
  const addresses = addressesOf(o.endpoints);
  const check = async (name: string): Promise<boolean> => {
    const address = addresses[name];
    const ok = address ? await smtpBannerCheck(address, { timeoutMs: CHECK_TIMEOUT_MS }) : false;
    if (name === STANDBY) o.metrics.rate('standby_check_ok', ok);
    return ok;
  };
  return new FailoverSelector({
    endpoints: [PRIMARY, STANDBY],
    check,
    intervalMs: o.intervalMs,
    clock: o.clock,
    failuresToDown: o.failuresToDown,
    successesToUp: 1,
    checkTimeoutMs: CHECK_TIMEOUT_MS + 500,
    events: o.events,
  });
}
