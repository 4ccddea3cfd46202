// The four task types of the user day. Each task is achieved or failed, timed end to end
// (user_day.task_time{task}), and counted (user_day.tasks{task,outcome}); a failed task is
// also a failed iteration, so the default error gates see it.
import { performance } from 'node:perf_hooks';
import type { FlowContext } from '../../harness/scenario/types.ts';
import type { DirectoryService } from '../../directory/types.ts';
import { runImapSession } from './imap-session.ts';
import type { UserDayParams } from './params.ts';
import type { TaskName } from './plan.ts';

export interface UserDayData {
  directory: DirectoryService;
  achieved: Record<TaskName, number>;
  failed: Record<TaskName, number>;
  stateMismatches: number;
}

type Ctx = FlowContext<UserDayParams, UserDayData>;

async function task(ctx: Ctx, name: TaskName, work: () => Promise<void>): Promise<void> {
  const started = performance.now();
  let ok = false;
  try {
    await work();
    ok = true;
  } finally {
    ctx.metrics.trend('user_day.task_time', performance.now() - started, { task: name });
    ctx.metrics.count('user_day.tasks', 1, { task: name, outcome: ok ? 'achieved' : 'failed' });
    if (ok) ctx.data.achieved[name]++;
    else ctx.data.failed[name]++;
  }
}

function someUser(ctx: Ctx): { address: string; password: string } {
  const user = ctx.data.directory.user(ctx.data.directory.addressAt(ctx.random.int(0, ctx.data.directory.userCount - 1)))!;
  return { address: user.address, password: user.password };
}

export function sendTask(ctx: Ctx): Promise<void> {
  return task(ctx, 'send', async () => {
    const from = someUser(ctx);
    const to = someUser(ctx);
    const result = await ctx.smtp.send({ from: from.address, to: [to.address], auth: { user: from.address, pass: from.password }, endpoint: 'submission', subject: `user day ${ctx.vu}.${ctx.iteration}`, sizeBytes: ctx.params.messageKB * 1024, flow: 'send' });
    if (!result.ok) throw Object.assign(new Error(`submission refused: ${result.code} ${result.response}`), { responseCode: result.code });
  });
}

export function inboundTask(ctx: Ctx): Promise<void> {
  return task(ctx, 'inbound', async () => {
    const to = someUser(ctx);
    const result = await ctx.smtp.send({ from: `partner${ctx.random.int(1, 500)}@partner.example`, to: [to.address], endpoint: 'smtp', subject: `from outside ${ctx.vu}.${ctx.iteration}`, sizeBytes: ctx.params.messageKB * 1024, flow: 'inbound' });
    if (!result.ok) throw Object.assign(new Error(`relay refused: ${result.code} ${result.response}`), { responseCode: result.code });
  });
}

export function imapTask(ctx: Ctx): Promise<void> {
  return task(ctx, 'imap', async () => {
    const user = someUser(ctx);
    const started = performance.now();
    const client = await ctx.imap.connect({ user: user.address, pass: user.password });
    ctx.metrics.trend('imap.command_time', performance.now() - started, { command: 'LOGIN' });
    ctx.metrics.count('imap.commands', 1, { command: 'LOGIN' });
    const mismatches: string[] = [];
    try {
      await runImapSession(client, {
        commands: ctx.params.commandsPerSession,
        random: ctx.random,
        messageBytes: Math.min(ctx.params.messageKB * 1024, 64 * 1024),
        recorder: {
          command: (command, ms, ok) => {
            ctx.metrics.trend('imap.command_time', ms, { command });
            ctx.metrics.count('imap.commands', 1, { command, ...(ok ? {} : { outcome: 'failed' }) });
          },
          mismatch: (command, detail) => {
            ctx.metrics.count('imap.state_errors', 1, { command });
            mismatches.push(`${command}: ${detail}`);
          },
        },
      });
      const logoutStarted = performance.now();
      await client.logout();
      ctx.metrics.trend('imap.command_time', performance.now() - logoutStarted, { command: 'LOGOUT' });
      ctx.metrics.count('imap.commands', 1, { command: 'LOGOUT' });
    } finally {
      client.close();
    }
    if (mismatches.length > 0) {
      ctx.data.stateMismatches += mismatches.length;
      throw new Error(`IMAP answers contradict the session's own state: ${mismatches.join('; ')}`);
    }
  });
}

export function pingTask(ctx: Ctx): Promise<void> {
  return task(ctx, 'ping', async () => {
    const user = someUser(ctx);
    const url = `${ctx.endpoints.activesync}/Microsoft-Server-ActiveSync?Cmd=Ping&User=${encodeURIComponent(user.address)}&DeviceId=userday${ctx.vu}&DeviceType=SmartPhone`;
    const res = await ctx.http.request('POST', url, {
      headers: { authorization: `Basic ${Buffer.from(`${user.address}:${user.password}`).toString('base64')}`, 'ms-asprotocolversion': '14.1' },
      tags: { flow: 'ping' },
      timeoutMs: 10_000,
    });
    if (res.status !== 200) throw new Error(`ActiveSync Ping answered ${res.status}`);
  });
}
