// The storm itself: one message to the national list, then reply-alls drawn from the
// self-exciting model, each submitted by a list member over authenticated submission and
// fanned out by the MTA to the whole list. A reply excites the storm only once the MTA has
// accepted it (people can only answer what reaches them): a blocked or refused reply-all
// stops its branch, which is how storm protection ends a storm.
import type { FlowContext } from '../../harness/scenario/types.ts';
import type { SendResult } from '../../engine/clients/types.ts';
import type { ReplyAllStormParams } from './params.ts';
import { branchingOf, replyKind, SelfExcitingProcess, type ReplyKind, type StormModel } from './self-exciting.ts';
import { credentialsOf, ORIGINAL_SUBJECT, type StormData } from './storm-state.ts';

type StormContext = FlowContext<ReplyAllStormParams, StormData>;

/** Simulated minutes the model looks ahead before checking for new excitation. */
const SLICE_MINUTES = 0.25;

export function stormModel(p: ReplyAllStormParams): StormModel {
  return {
    baseRatePerMin: p.replyBaseRatePerMin,
    decayMinutes: p.excitationDecayMinutes,
    branching: p.branching,
    removeMeShare: p.removeMeShare,
    removeMeExcitation: p.removeMeExcitation,
  };
}

export async function runStorm(ctx: StormContext): Promise<void> {
  const { data, params: p } = ctx;
  const random = ctx.random.fork('storm');
  const original = await sendOriginal(ctx, random.int(0, data.members - 1));
  if (!original) return;
  const startedAt = data.simClock.now();
  const minutes = () => (data.simClock.now() - startedAt) / 60_000;
  const storm = new SelfExcitingProcess(stormModel(p));
  const inFlight = new Set<Promise<void>>();
  // Each turn either draws a reply or moves a slice on; a reply can shorten one slice.
  const maxLoops = Math.ceil(p.stormMinutes / SLICE_MINUTES) + 2 * p.maxReplyAlls + 10;
  let t = 0;
  for (let i = 0; i < maxLoops && !ctx.signal.aborted; i++) {
    if (data.tally.generated >= p.maxReplyAlls || data.capHit || t >= p.stormMinutes) break;
    const limit = Math.min(t + SLICE_MINUTES, p.stormMinutes);
    const at = storm.next(t, limit, random);
    const target = at ?? limit;
    const waitMs = (target - minutes()) * 60_000;
    try {
      if (waitMs > 0) await data.simClock.sleep(waitMs, ctx.signal);
    } catch {
      break; // the run is stopping
    }
    t = target;
    data.intensity = storm.intensity(minutes());
    if (at === undefined) continue;
    while (inFlight.size >= p.maxReplyAllsInFlight) await Promise.race(inFlight);
    const kind = replyKind(stormModel(p), random);
    const sender = random.int(0, data.members - 1);
    data.tally.generated++;
    const job: Promise<void> = sendReply(ctx, original, kind, sender).then((result) => {
      const landed = record(ctx, result, kind);
      ctx.events.record('reply_all', { kind, code: result.code, minute: Number(minutes().toFixed(2)) });
      if (landed) storm.excite(minutes(), branchingOf(stormModel(p), kind));
    }).finally(() => inFlight.delete(job));
    inFlight.add(job);
  }
  await Promise.allSettled([...inFlight]);
  data.intensity = 0;
  data.stormEndedAt = ctx.clock.now();
  ctx.events.record('storm_ended', { ...data.tally, capHit: data.capHit, minutes: Number(minutes().toFixed(2)) });
}

/** Sends the message that starts it all; returns its Message-ID, or undefined when refused. */
async function sendOriginal(ctx: StormContext, senderIndex: number): Promise<string | undefined> {
  const { data, params: p } = ctx;
  const sender = credentialsOf(data.directory, senderIndex);
  const result = await ctx.data.smtp.send({
    from: sender.address, to: [data.list], auth: sender.auth, subject: ORIGINAL_SUBJECT, sizeBytes: Math.round(p.messageKB * 1024), flow: 'storm',
  });
  ctx.events.record('storm_original', { ok: result.ok, code: result.code, members: data.members });
  if (!result.ok) {
    data.tally.failed++;
    return undefined;
  }
  accepted(ctx);
  data.originalAcceptedAt = data.lastAcceptedAt;
  // The SMTP client's Message-ID form; replies only need to share it to form one thread.
  return `<${result.id}@mailstorm.test>`;
}

function sendReply(ctx: StormContext, originalId: string, kind: ReplyKind, senderIndex: number): Promise<SendResult> {
  const { data, params: p } = ctx;
  const sender = credentialsOf(data.directory, senderIndex);
  return ctx.data.smtp.send({
    from: sender.address,
    to: [data.list],
    auth: sender.auth,
    subject: `RE: ${ORIGINAL_SUBJECT}`,
    headers: { 'In-Reply-To': originalId, References: originalId },
    ...(kind === 'remove-me' ? { body: 'Please remove me from this list.\n' } : { sizeBytes: Math.round(p.messageKB * 1024) }),
    flow: 'storm',
  });
}

/** Tallies a reply-all's outcome; true when the MTA accepted it (so it excites the storm). */
function record(ctx: StormContext, result: SendResult, kind: ReplyKind): boolean {
  const { data } = ctx;
  ctx.metrics.count('storm_reply_alls', 1, { outcome: result.ok ? 'accepted' : String(result.code), kind });
  if (result.ok) {
    data.tally.accepted++;
    if (kind === 'remove-me') data.tally.removeMeAccepted++;
    accepted(ctx);
    return true;
  }
  if (result.code === 550) {
    // the first block is the moment protection engaged: the story chart marks it
    if (data.tally.blocked++ === 0) ctx.events.record('storm_protection_engaged', { code: result.code, accepted: data.tally.accepted });
    data.firstBlockMinute ??= data.originalAcceptedAt === undefined ? 0 : ((ctx.clock.now() - data.originalAcceptedAt) / 60_000) * ctx.params.timeCompression;
  } else if (result.code === 451) data.tally.refused++;
  else data.tally.failed++;
  return false;
}

/** One more storm message accepted: its deliveries count towards the cap, the drain clock restarts. */
function accepted(ctx: StormContext): void {
  const { data, params: p } = ctx;
  data.tally.deliveries += data.members;
  data.lastAcceptedAt = ctx.clock.now();
  data.drainedAt = undefined;
  if (data.tally.deliveries >= p.maxStormDeliveries && !data.capHit) {
    data.capHit = true;
    ctx.events.record('storm_cap_hit', { deliveries: data.tally.deliveries, cap: p.maxStormDeliveries });
  }
}
