// Everyone else's mail while the storm rages: background users submit their normal mail
// over authenticated submission and receive mail from outside through the relay (MX) port.
// Every submission is one sample of `background_submission_ok`: a 451 is a user shut out.
import type { FlowContext } from '../../harness/scenario/types.ts';
import type { Random } from '../../engine/random.ts';
import type { ReplyAllStormParams } from './params.ts';
import { credentialsOf, type StormData } from './storm-state.ts';

type BackgroundContext = FlowContext<ReplyAllStormParams, StormData>;

/** Ledger flow tag of everyone else's mail (gated as delivery_latency{flow:background}). */
export const BACKGROUND_FLOW = 'background';

export async function sendBackground(ctx: BackgroundContext): Promise<void> {
  const { data, params: p } = ctx;
  const users = data.backgroundUsers;
  const sender = credentialsOf(data.directory, ctx.random.pick(users));
  const count = Math.min(users.length, randomRound(p.recipientsPerMessage, ctx.random));
  const to = new Set<string>();
  for (let i = 0; i < count * 4 && to.size < count; i++) {
    const address = data.directory.addressAt(ctx.random.pick(users));
    if (address !== sender.address || users.length === 1) to.add(address);
  }
  const result = await ctx.data.smtp.send({
    from: sender.address, to: [...to], auth: sender.auth, subject: `Ward rota ${ctx.vu}.${ctx.iteration}`, sizeBytes: messageSize(p, ctx.random), flow: BACKGROUND_FLOW,
  });
  ctx.metrics.rate('background_submission_ok', result.ok);
}

export async function receiveBackground(ctx: BackgroundContext): Promise<void> {
  const { data, params: p } = ctx;
  const to = data.directory.addressAt(ctx.random.pick(data.backgroundUsers));
  const result = await ctx.smtp.send({
    from: `referrals${ctx.random.int(1, 500)}@partner.example`, to: [to], endpoint: 'smtp', subject: `Referral ${ctx.vu}.${ctx.iteration}`, sizeBytes: messageSize(p, ctx.random), flow: BACKGROUND_FLOW,
  });
  ctx.metrics.rate('background_inbound_ok', result.ok);
}

/** Log-normal sizes with the configured mean, in 4 KB steps so message bodies are reused. */
function messageSize(p: ReplyAllStormParams, random: Random): number {
  const sigma = 0.7;
  const median = (p.messageKB * 1024) / Math.exp((sigma * sigma) / 2);
  const bytes = Math.min(random.logNormal(median, sigma), p.messageKB * 1024 * 10);
  return Math.max(1024, Math.round(bytes / 4096) * 4096);
}

/** 1.5 becomes 1 or 2, each with the right odds, so the mean is kept. */
function randomRound(mean: number, random: Random): number {
  const whole = Math.floor(mean);
  return whole + (random.next() < mean - whole ? 1 : 0);
}
