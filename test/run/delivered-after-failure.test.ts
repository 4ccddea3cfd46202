// delivered_after_failure: a limit_data toxic on the relay's proxy lets the stack take each
// message and cuts its 250 reply, so the client sees the send fail while the mail arrives.
// The ledger must count those arrivals apart (not as unexpected), and delivered after failure
// plus what the client saw accepted must equal what the stack's stores reported arriving.
import test from 'ava';
import net from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { Toxiproxy } from 'toxiproxy-node-client';
import { ScenarioRun } from '../../harness/run/run.ts';
import { defineScenario, type ScenarioDefinition } from '../../harness/scenario/types.ts';
import { embeddedProvider } from '../../stack/embedded/index.ts';
import { resultJsonReporter } from '../../reports/result-json.ts';
import { DEFAULT_RIG_LIMITS } from '../../harness/rig/limits.ts';
import type { RigLimits } from '../../harness/rig/types.ts';
import type { RunResult } from '../../harness/result-schema.ts';
import type { StackProvider } from '../../stack/types.ts';
import type { HostPort } from '../../engine/endpoints.ts';

const UNLIMITED_RIG = Object.fromEntries(Object.keys(DEFAULT_RIG_LIMITS).map((k) => [k, Number.POSITIVE_INFINITY])) as unknown as RigLimits;
const CUT = 6;
const CLEAN = 6;

/** Bytes the relay sends before its reply to the end of DATA: greeting, EHLO, MAIL, RCPT, 354. */
async function bytesBeforeDataReply(relay: HostPort, to: string): Promise<number> {
  const socket = net.connect(relay.port, relay.host);
  let received = '';
  const waitFor = (pattern: RegExp) => new Promise<void>((resolve, reject) => {
    const check = () => {
      if (pattern.test(received)) { socket.off('data', onData); resolve(); }
    };
    const onData = (chunk: Buffer) => { received += chunk.toString('latin1'); check(); };
    socket.on('data', onData);
    socket.once('error', reject);
    check();
  });
  const step = async (line: string, reply: RegExp) => { socket.write(`${line}\r\n`); await waitFor(reply); };
  await waitFor(/^220 /m);
  await step('EHLO probe.invalid', /^250 .*\r\n/m);
  const mark = received.length;
  await step('MAIL FROM:<a@partner.example>', /250 .*\r\n$/);
  await step(`RCPT TO:<${to}>`, /250 .*\r\n$/);
  await step('DATA', /354 .*\r\n$/);
  socket.destroy(); // no final dot: nothing is delivered
  if (mark === received.length) throw new Error('probe saw no replies');
  return Buffer.byteLength(received, 'latin1');
}

function fixture(): ScenarioDefinition {
  return defineScenario({
    name: 'delivered-after-failure',
    description: 'sends whose reply a fault cuts, then clean sends',
    incident: 'none',
    params: z.object({}),
    stack: () => ({ population: { organisations: [{ name: 'daf', users: 5 }] } }),
    options: () => ({
      scenarios: { mail: { executor: 'shared-iterations', vus: 1, iterations: CUT + CLEAN } },
      thresholds: { mail_delivered_after_failure: ['count==0'] },
    }),
    defaultGates: { iterationErrors: false },
    drain: () => ({ timeout: '5s' }),
    async setup(ctx) {
      const bytes = await bytesBeforeDataReply(ctx.endpoints.smtp, ctx.stack.directory!.addressAt(0));
      const proxy = await new Toxiproxy(ctx.endpoints.toxiproxy).get('smtp');
      // One byte of the 250 passes, then the connection closes: the stack has the message, the client an error.
      await proxy.addToxic({ name: 'mailstorm-cut-reply', type: 'limit_data', stream: 'downstream', toxicity: 1, attributes: { bytes: bytes + 1 } });
      return { proxy, bytes };
    },
    flows: {
      async mail(ctx) {
        const data = ctx.data as { proxy: Awaited<ReturnType<Toxiproxy['get']>> };
        if (ctx.iteration === CUT) await (await data.proxy.getToxic('mailstorm-cut-reply')).remove();
        const to = ctx.stack.directory!.addressAt(ctx.iteration % 5);
        await ctx.smtp.send({ from: 'a@partner.example', to: [to], endpoint: 'smtp', sizeBytes: 512 });
      },
    },
  } as ScenarioDefinition);
}

test('a reply cut after the stack took the message counts as delivered_after_failure, once, and adds up with the accepted', async (t) => {
  const outDir = await mkdtemp(path.join(os.tmpdir(), 'mailstorm-daf-'));
  t.teardown(() => rm(outDir, { recursive: true, force: true }));
  // The independent count: every arrival the stack's stores report, before the ledger sees it.
  let arrivals = 0;
  const counting: StackProvider = {
    kind: 'embedded',
    start: (options) => embeddedProvider.start({
      ...options,
      ledger: Object.assign(Object.create(options.ledger) as typeof options.ledger, {
        arrived: (a: Parameters<typeof options.ledger.arrived>[0]) => { arrivals++; options.ledger.arrived(a); },
      }),
    }),
  };
  const run = new ScenarioRun({
    scenario: { definition: fixture(), file: 'test' }, overrides: {}, seed: 4, stackKind: 'embedded',
    provider: async () => counting, runId: 'daf', outDir, command: 'mailstorm run test', version: '0.0.0', reporters: [resultJsonReporter()],
    rigLimits: UNLIMITED_RIG,
  });
  const outcome = await run.execute();
  const result = JSON.parse(await readFile(path.join(outDir, 'result.json'), 'utf8')) as RunResult;
  const ledger = result.ledger!;
  const total = (name: string) => result.metrics.filter((m) => m.name === name).reduce((a, m) => a + (m.values['count'] ?? 0), 0);
  const accepted = total('smtp.accepted');
  const rejected = total('smtp.rejected');
  t.log({ accepted, rejected, arrivals, ledger: { ...ledger, byFlow: undefined, samples: undefined } });
  t.is(accepted + rejected, CUT + CLEAN);
  t.is(rejected, CUT, 'every send through the toxic saw its reply cut');
  t.is(ledger.deliveredAfterFailure, CUT, 'and every one of them arrived');
  t.is(ledger.deliveredAfterFailure + accepted, arrivals);
  t.is(ledger.byFlow['mail']?.deliveredAfterFailure, CUT);
  t.is(ledger.unexpected, 0);
  t.like(ledger, { expected: accepted, delivered: accepted, lost: 0, duplicated: 0 });
  t.is(total('mail_delivered_after_failure'), ledger.deliveredAfterFailure, 'recorded once');
  t.like(result.gates.find((g) => g.metric === 'mail_delivered_after_failure'), { ok: false, observed: CUT });
  t.is(ledger.samples.deliveredAfterFailure?.length, 5);
  t.is(outcome.exitCode, 1);
});
