// Headroom in the incidents' terms: what the capacity measured at the knee means for the
// platform's incidents. Every statement names the figures it was computed from; a figure the
// scenario did not measure makes the statement say so instead of guessing.
import type { RunResult } from '../harness/result-schema.ts';
import { windowRate } from './measure-step.ts';
import type { HeadroomStatement } from './types.ts';

/** Incident figures the statements use (ARCHITECTURE.md's incident table) and stated assumptions. */
export const INCIDENT = {
  platformAccounts: 1_200_000,
  stormExtraEmails: 840_000,
  migrationAccounts: 50_000,
  migrationWindowHours: 48,
  /** assumed mean messages per mailbox moved (not public) */
  messagesPerMailbox: 2_000,
  /** IMAP commands to move one message: FETCH from the source, APPEND to the target */
  commandsPerMovedMessage: 2,
  /** 2009: share of users whose password failed the stricter policy, as mass-lockout calibrates it */
  forcedResetShare: 0.12,
  /** devices per user, uniform 0..3 */
  meanDevices: 1.5,
  /** mean ActiveSync heartbeat, seconds (range 60-3540) */
  meanHeartbeatSeconds: 1800,
} as const;

const fmt = (n: number, digits = 0) => n.toLocaleString('en-GB', { maximumFractionDigits: digits });

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'never';
  if (seconds < 120) return `${fmt(seconds, 1)} s`;
  if (seconds < 7200) return `${fmt(seconds / 60, 1)} min`;
  return `${fmt(seconds / 3600, 1)} h`;
}

function meanOf(result: RunResult, name: string): number | undefined {
  const lines = result.metrics.filter((m) => m.name === name && m.kind === 'trend');
  const count = lines.reduce((a, m) => a + (m.values['count'] ?? 0), 0);
  if (count === 0) return undefined;
  return lines.reduce((a, m) => a + (m.values['avg'] ?? 0) * (m.values['count'] ?? 0), 0) / count;
}

export function headroomStatements(knee: RunResult, loadSeconds: number): HeadroomStatement[] {
  const out: HeadroomStatement[] = [];
  const deliveries = windowRate(knee.series, 'delivery_latency', loadSeconds, knee.loadStartedMs);
  const stormDeliveries = INCIDENT.platformAccounts + INCIDENT.stormExtraEmails;
  out.push(deliveries > 0
    ? {
      incident: 'reply-all storm, Nov 2016',
      statement: `A reply-all storm like 2016's (the first message to ${fmt(INCIDENT.platformAccounts)} members plus ${fmt(INCIDENT.stormExtraEmails)} extra e-mails: ${fmt(stormDeliveries)} deliveries) drains in ${duration(stormDeliveries / deliveries)} at this stack's delivery capacity of ${fmt(deliveries, 1)} deliveries/s, with ordinary mail at the knee's level waiting behind it.`,
      basis: { delivery_capacity_per_s: deliveries, storm_deliveries: stormDeliveries },
    }
    : { incident: 'reply-all storm, Nov 2016', statement: 'Not measured: the knee step delivered no mail (the scenario sends none).', basis: {} });
  // imap.command_time counts every command of a session (LOGIN included) where the scenario
  // times them; otherwise logins are all that was measured.
  const imapCommands = windowRate(knee.series, 'imap.command_time', loadSeconds, knee.loadStartedMs) || windowRate(knee.series, 'imap.login_time', loadSeconds, knee.loadStartedMs);
  const commandMs = meanOf(knee, 'imap.command_time') ?? meanOf(knee, 'imap.login_time');
  if (imapCommands > 0 && commandMs !== undefined) {
    const needed = (INCIDENT.migrationAccounts * INCIDENT.messagesPerMailbox * INCIDENT.commandsPerMovedMessage) / (INCIDENT.migrationWindowHours * 3600);
    const perMover = 1000 / commandMs;
    const movers = Math.ceil(needed / perMover);
    const fits = needed <= imapCommands;
    out.push({
      incident: 'weekend migration, 2004 and 2009',
      statement: `A migration of ${fmt(INCIDENT.migrationAccounts)} accounts (assumed ${fmt(INCIDENT.messagesPerMailbox)} messages each, FETCH + APPEND per message) needs ${fmt(needed, 1)} IMAP commands/s to fit a ${INCIDENT.migrationWindowHours}-hour window: ${movers} movers at the knee's ${fmt(commandMs, 1)} ms per command. This stack held ${fmt(imapCommands, 1)} IMAP commands/s at the knee, so it ${fits ? 'fits' : 'does not fit'} the window on top of nothing else.`,
      basis: { imap_commands_per_s: imapCommands, mean_command_ms: commandMs, needed_commands_per_s: needed, movers },
    });
  } else {
    out.push({ incident: 'weekend migration, 2004 and 2009', statement: 'Not measured: the knee step ran no IMAP commands.', basis: {} });
  }
  const auths = windowRate(knee.series, 'imap.login_time', loadSeconds, knee.loadStartedMs) + windowRate(knee.series, 'http.req_duration', loadSeconds, knee.loadStartedMs) + windowRate(knee.series, 'smtp.send_time{flow:send}', loadSeconds, knee.loadStartedMs);
  const devices = INCIDENT.platformAccounts * INCIDENT.forcedResetShare * INCIDENT.meanDevices;
  const wave = devices / INCIDENT.meanHeartbeatSeconds;
  out.push(auths > 0
    ? {
      incident: 'mass lockouts, 2009 migration',
      statement: `A lockout wave of ${fmt(devices)} stale devices (${INCIDENT.forcedResetShare * 100} % of ${fmt(INCIDENT.platformAccounts)} users forced to reset, ${INCIDENT.meanDevices} devices each) retrying every ${INCIDENT.meanHeartbeatSeconds} s needs ${fmt(wave, 1)} authentications/s; this stack held ${fmt(auths, 1)}/s at the knee (IMAP logins, ActiveSync requests, authenticated submissions), ${auths >= wave ? `${fmt(auths / wave, 1)}x the wave` : `${fmt((wave / auths), 1)}x short of it`}.`,
      basis: { authentications_per_s: auths, wave_per_s: wave, devices },
    }
    : { incident: 'mass lockouts, 2009 migration', statement: 'Not measured: the knee step made no authentications.', basis: {} });
  return out;
}
