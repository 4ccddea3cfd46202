// A short end-to-end check that the stack accepts mail on its relay port (or, via=submission,
// from logged-in senders) and delivers every message exactly once. Not an incident replay: the first scenario of every suite,
// so a broken rig shows up before the long replays start.
import { z } from 'zod';
import { defineScenario } from '../harness/scenario/types.ts';
import { parseDuration } from '../engine/duration.ts';
import { SMTP_MAX_POOLS, SMTP_POOL_CONNECTIONS } from '../engine/clients/smtp-client.ts';

const params = z.object({
  users: z.number().int().min(1).max(10_000).default(20).describe('mailboxes in the population'),
  rate: z.number().min(0.1).max(1000).default(5).describe('messages per second'),
  duration: z.string().default('5s').describe('how long mail is sent (k6 duration)'),
  sizeBytes: z.number().int().min(100).max(10_000_000).default(2048).describe('message size in bytes'),
  via: z.enum(['relay', 'submission']).default('relay').describe('relay: the MX port, no login; submission: logged in as the sender (password, or the OAuth2 token the stack names)'),
});

export default defineScenario({
  name: 'smoke',
  description: 'A few seconds of steady mail through the relay; every message must arrive once.',
  incident: 'None: a rig check run before the incident replays.',
  params,
  scale: (p, factor) => ({ ...p, rate: p.rate * factor, users: Math.ceil(p.users * factor) }),
  stack: (p) => ({ population: { organisations: [{ name: 'smoke', users: p.users }] } }),
  options: (p) => ({
    scenarios: {
      mail: {
        executor: 'constant-arrival-rate',
        rate: p.rate,
        timeUnit: '1s',
        duration: p.duration,
        preAllocatedVUs: 2,
        maxVUs: 20,
        exec: 'mail',
      },
    },
    thresholds: {
      mail_lost: [{ threshold: 'count==0', description: 'A message the stack accepted never arrived.' }],
      mail_duplicated: [{ threshold: 'count==0', description: 'A message arrived more than once.' }],
      mail_delivered: [{ threshold: 'count>0', description: 'Nothing was delivered at all.' }],
    },
  }),
  // `mailstorm capacity smoke` steps the relay's arrival rate: delivered mail per second is
  // the throughput, delivery latency the SLO, the MTA queue the saturation sign.
  capacity: {
    param: 'rate',
    unit: 'messages/s',
    steps: [25, 50, 100, 200, 400, 800],
    offered: (p) => p.rate,
    throughput: 'delivery_latency',
    latency: 'delivery_latency',
    queue: 'mta.queue_depth',
    slo: 'p(99)<5000',
    loadSeconds: (p) => parseDuration(p.duration) / 1000,
  },
  drain: () => ({ timeout: '20s' }),
  // One message per iteration: to the relay over the client's one pool, or to submission as
  // the sender, whose own pool opens a connection (more only if one sender sends in parallel).
  load: (p) => ({
    mail: {
      perIteration: p.via === 'submission'
        ? { submission: { messages: 1, bytes: p.sizeBytes, connections: 1, connectionsAtMost: Math.min(p.users, SMTP_MAX_POOLS) } }
        : { smtp: { messages: 1, bytes: p.sizeBytes, connections: 1, connectionsAtMost: SMTP_POOL_CONNECTIONS } },
      ...(p.via === 'submission' ? { note: `a pool per sender: up to ${Math.min(p.users, SMTP_MAX_POOLS)} connections` } : {}),
    },
  }),
  // Uses only the directory's addresses and the SMTP client: `--workers` splits it.
  workerFlows: ['mail'],
  flows: {
    async mail(ctx) {
      const directory = ctx.stack.directory;
      if (!directory) throw new Error('the stack has no directory: smoke needs a population');
      const from = directory.addressAt(ctx.random.int(0, directory.userCount - 1));
      const to = directory.addressAt(ctx.random.int(0, directory.userCount - 1));
      const submit = ctx.params.via === 'submission';
      const auth = submit ? { auth: { user: from, pass: directory.user(from)?.password ?? '' }, endpoint: 'submission' } : {};
      const result = await ctx.smtp.send({ from, to: [to], subject: `smoke ${ctx.vu}/${ctx.iteration}`, sizeBytes: ctx.params.sizeBytes, ...auth });
      if (!result.ok) throw Object.assign(new Error(`${submit ? 'submission' : 'relay'} refused: ${result.code} ${result.response}`), { responseCode: result.code });
    },
  },
});
