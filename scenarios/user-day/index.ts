// user-day: a population living an ordinary mail day, LoadGen-style, time-compressed. Not an
// incident: the workload `mailstorm capacity` steps to find how many users a stack holds.
import { defineScenario } from '../../harness/scenario/types.ts';
import type { Options } from '../../engine/options/types.ts';
import { SMTP_MAX_POOLS, SMTP_POOL_CONNECTIONS } from '../../engine/clients/smtp-client.ts';
import { userDayParams, type UserDayParams } from './params.ts';
import { PROFILES } from './profiles.ts';
import { TASK_NAMES, compression, plannedTasks, realSeconds, taskPlan, type TaskName } from './plan.ts';
import { imapTask, inboundTask, pingTask, sendTask, type UserDayData } from './tasks.ts';
import { USER_DAY_METRICS } from './metrics.ts';

function options(p: UserDayParams): Options {
  const plan = taskPlan(p);
  const scenarios: NonNullable<Options['scenarios']> = {};
  for (const task of TASK_NAMES) {
    if (plan[task].planned === 0) continue;
    // rate per whole duration: exactly `planned` tasks, evenly spread, whatever the rate
    scenarios[task] = { executor: 'constant-arrival-rate', rate: plan[task].planned, timeUnit: p.duration, duration: p.duration, preAllocatedVUs: Math.min(p.maxVUs, 4), maxVUs: p.maxVUs, exec: task, gracefulStop: '10s' };
  }
  return {
    scenarios,
    thresholds: {
      tasks_achieved_ratio: [{ threshold: `value>=${p.minTasksAchieved}`, description: 'Users could not do their planned mail tasks: the stack (or the harness) fell behind the day.' }],
      'user_day.task_time': [{ threshold: `p(99)<${p.maxTaskP99Ms}`, description: 'Mail tasks took longer than users tolerate.' }],
      'imap.state_errors': [{ threshold: 'count==0', description: 'The IMAP server answered something that contradicts what the client just did.' }],
      mail_lost: [{ threshold: 'count==0', description: 'A message the stack accepted never arrived.' }],
    },
  };
}

export default defineScenario({
  name: 'user-day',
  description: 'A LoadGen-style user day (send, receive, IMAP sessions with the imaptest mix, ActiveSync pings), time-compressed; the workload capacity runs step.',
  incident: 'None: an ordinary working day of mail, the baseline every incident is measured against. Profiles from Exchange Load Generator (light 5/20, average 10/40, heavy 20/80 sent/received, heavy 132 tasks per user-day); IMAP command mix from imaptest\'s defaults.',
  params: userDayParams,
  scale: (p, factor) => ({ ...p, users: Math.max(1, Math.round(p.users * factor)) }),
  timeCompression: compression,
  stack: (p) => ({
    population: { organisations: [{ name: 'User-day Trust', users: p.users }], maxDevices: 1 },
    lockout: { policy: 'none' },
  }),
  options,
  // send: one submission as the user (the SMTP client keeps a pool per user, SMTP_MAX_POOLS
  // at most); inbound: one message through the relay; imap: one session of LOGIN, SELECT,
  // the mix and LOGOUT (an APPEND in the mix adds its message); ping: one ActiveSync request.
  load: (p) => {
    const bytes = p.messageKB * 1024;
    return {
      send: { perIteration: { submission: { messages: 1, bytes, connections: 1, connectionsAtMost: Math.min(p.users, SMTP_MAX_POOLS) * SMTP_POOL_CONNECTIONS } } },
      inbound: { perIteration: { smtp: { messages: 1, bytes, connections: 1, connectionsAtMost: SMTP_POOL_CONNECTIONS } } },
      imap: { perIteration: { imap: { requests: p.commandsPerSession + 3, connections: 1 } }, note: `LOGIN, SELECT, ${p.commandsPerSession} commands, LOGOUT per session` },
      ping: { perIteration: { activesync: { requests: 1, connections: 1 } } },
    };
  },
  capacity: {
    param: 'users',
    unit: 'users',
    steps: [25, 50, 100, 200, 400, 800, 1600],
    offered: (p) => plannedTasks(p) / realSeconds(p),
    throughput: 'user_day.tasks{outcome:achieved}',
    latency: 'user_day.task_time',
    // the harness's gauge of Stack.queueDepth(), on every stack (the embedded MTA's own
    // mta.queue_depth does not exist on docker, where Postfix's queue is counted instead)
    queue: 'queue_depth',
    slo: 'p(99)<2000',
    loadSeconds: realSeconds,
  },
  metrics: USER_DAY_METRICS,
  async setup(ctx): Promise<UserDayData> {
    const directory = ctx.stack.directory;
    if (!directory) throw new Error('the stack has no directory: user-day needs a population');
    const zero = () => Object.fromEntries(TASK_NAMES.map((t) => [t, 0])) as Record<TaskName, number>;
    return { directory, achieved: zero(), failed: zero(), stateMismatches: 0 };
  },
  flows: { send: sendTask, inbound: inboundTask, imap: imapTask, ping: pingTask },
  drain: () => ({ timeout: '30s' }),
  async finish(ctx) {
    const p = ctx.params;
    const plan = taskPlan(p);
    const achieved = TASK_NAMES.reduce((a, t) => a + ctx.data.achieved[t], 0);
    const planned = plannedTasks(p);
    ctx.metrics.gauge('tasks_achieved_ratio', planned === 0 ? 1 : achieved / planned);
    const profile = PROFILES[p.profile];
    ctx.figure('tasks_achieved', { value: achieved, unit: 'tasks', note: `of ${planned} planned (${TASK_NAMES.map((t) => `${t} ${ctx.data.achieved[t]}/${plan[t].planned}`).join(', ')}); a task not started (no VU free) or failed is not achieved` });
    ctx.figure('user_day_profile', { value: profile.tasksPerDay, unit: 'tasks per user-day', note: `${p.profile}: ${profile.sentPerDay} sent / ${profile.receivedPerDay} received per 8-hour day, ${p.users} users, ${p.simHours} simulated hours in ${realSeconds(p)} real s (${Math.round(compression(p))}x)` });
    ctx.figure('offered_tasks_per_second', { value: Math.round((planned / realSeconds(p)) * 10) / 10, unit: 'tasks/s (real)', note: TASK_NAMES.map((t) => `${t} ${plan[t].rate.toFixed(1)}/s: ${plan[t].means}`).join('; ') });
    ctx.figure('imap_state_mismatches', { value: ctx.data.stateMismatches, unit: 'answers', note: 'IMAP answers that contradicted the session\'s own appends, flags or expunges' });
  },
});
