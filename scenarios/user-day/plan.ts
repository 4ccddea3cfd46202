// How a profile becomes arrival rates: every task type runs as a constant-arrival-rate
// executor whose rate is the population's share of that task per real second.
import { parseDuration } from '../../engine/duration.ts';
import { PROFILES } from './profiles.ts';
import type { UserDayParams } from './params.ts';

export type TaskName = 'send' | 'inbound' | 'imap' | 'ping';
export const TASK_NAMES: readonly TaskName[] = ['send', 'inbound', 'imap', 'ping'];

export interface TaskPlan {
  /** tasks per real second */
  rate: number;
  /** tasks of this kind in the whole run */
  planned: number;
  /** what one task is, for reports */
  means: string;
}

export function realSeconds(p: UserDayParams): number {
  return parseDuration(p.duration) / 1000;
}

/** Simulated seconds per real second. */
export function compression(p: UserDayParams): number {
  return (p.simHours * 3600) / realSeconds(p);
}

/**
 * Per simulated day of `simHours`: sends = sent mail; inbound = received mail beyond what
 * colleagues send (each send has one internal recipient); imap = the profile's other tasks,
 * each one IMAP session; ping = one ActiveSync Ping per heartbeat of every phone.
 */
export function taskPlan(p: UserDayParams): Record<TaskName, TaskPlan> {
  const profile = PROFILES[p.profile];
  const day = p.simHours / 8;
  const seconds = realSeconds(p);
  const perDay: Record<TaskName, [number, string]> = {
    send: [profile.sentPerDay * day, 'an authenticated submission to a colleague'],
    inbound: [(profile.receivedPerDay - profile.sentPerDay) * day, 'a message from outside through the relay'],
    imap: [(profile.tasksPerDay - profile.sentPerDay) * day, `an IMAP session: LOGIN, SELECT, ${p.commandsPerSession} commands of the imaptest mix, LOGOUT`],
    ping: [p.mobileShare * ((p.simHours * 3600) / p.heartbeatSeconds), 'an ActiveSync Ping from a phone'],
  };
  const plan = {} as Record<TaskName, TaskPlan>;
  for (const task of TASK_NAMES) {
    const [perUser, means] = perDay[task];
    const planned = Math.round(perUser * p.users);
    plan[task] = { rate: planned / seconds, planned, means };
  }
  return plan;
}

export function plannedTasks(p: UserDayParams): number {
  return Object.values(taskPlan(p)).reduce((a, t) => a + t.planned, 0);
}
