// The lockout workload over the wire: users type passwords into IMAP LOGIN, devices present
// their stored copy to the ActiveSync endpoint (HTTP Basic, DeviceId in the query, as
// Exchange ActiveSync clients do). Outcomes are read from what the protocols answer.
import { errorMessage } from '../../engine/errors.ts';
import type { RunContext } from '../../harness/scenario/types.ts';
import type { AuthOutcome, LockoutTransport } from './workload.ts';

/** RFC 5530 response codes and the wording the fakes use, mapped to an outcome. */
export function imapOutcome(error: unknown): AuthOutcome {
  const e = error as { serverResponseCode?: string; responseText?: string; response?: string; authenticationFailed?: boolean };
  const text = `${e?.serverResponseCode ?? ''} ${e?.responseText ?? ''} ${e?.response ?? ''} ${errorMessage(error)}`;
  if (/locked|CONTACTADMIN/i.test(text)) return 'locked';
  if (/EXPIRED|must change|change (your|the) password/i.test(text)) return 'must-change-password';
  if (e?.authenticationFailed || /AUTHENTICATIONFAILED|authentication failed|invalid credentials|bad password/i.test(text)) return 'bad-password';
  return 'error';
}

/**
 * ActiveSync answers: 200 ok; 401 bad credentials (or a password that must be changed);
 * 403 with X-MS-ASThrottle: AccountLocked while locked. X-Mailstorm-Auth, when the endpoint
 * sends it, names the reason outright.
 */
export function activeSyncOutcome(status: number, body: string, headers: Headers): AuthOutcome {
  if (status >= 200 && status < 300) return 'ok';
  const reason = headers.get('x-mailstorm-auth');
  if (reason === 'locked' || reason === 'bad-password' || reason === 'must-change-password') return reason;
  const text = `${body} ${headers.get('x-ms-asthrottle') ?? ''}`;
  if (/locked/i.test(text) || status === 423) return 'locked';
  if (/expired|must change|change password/i.test(text)) return 'must-change-password';
  if (status === 401) return 'bad-password';
  return 'error';
}

export function networkTransport(ctx: RunContext<unknown>): LockoutTransport {
  return {
    async userLogin(address, password) {
      const started = ctx.clock.now();
      let outcome: AuthOutcome = 'ok';
      try {
        const client = await ctx.imap.connect({ user: address, pass: password });
        await client.logout().catch(() => client.close());
      } catch (error) {
        outcome = imapOutcome(error);
      }
      ctx.metrics.trend('lockout_user_login_time', ctx.clock.now() - started);
      ctx.metrics.count('lockout_user_logins', 1, { outcome });
      return outcome;
    },
    async deviceSync(address, deviceId, password) {
      const url = `${ctx.endpoints.activesync}/Microsoft-Server-ActiveSync?Cmd=Ping&User=${encodeURIComponent(address)}` +
        `&DeviceId=${encodeURIComponent(deviceId)}&DeviceType=SmartPhone`;
      let outcome: AuthOutcome;
      try {
        const res = await ctx.http.request('POST', url, {
          headers: {
            authorization: `Basic ${Buffer.from(`${address}:${password}`).toString('base64')}`,
            'ms-asprotocolversion': '14.1',
            'content-type': 'application/vnd.ms-sync.wbxml',
          },
          tags: { flow: 'device' },
          timeoutMs: 10_000,
        });
        outcome = activeSyncOutcome(res.status, res.body, res.headers);
      } catch {
        outcome = 'error';
      }
      ctx.metrics.count('lockout_device_syncs', 1, { outcome });
      return outcome;
    },
  };
}
