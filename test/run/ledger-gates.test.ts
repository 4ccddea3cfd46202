// One owner per fact: a gate on a ledger figure observes exactly the figure result.json's
// ledger reports, on a run with deliberate loss, duplication and bounces (before, every
// ledger figure reached the gates twice: 86 lost showed as 172).
import test from 'ava';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { ScenarioRun } from '../../harness/run/run.ts';
import { defineScenario, type ScenarioDefinition } from '../../harness/scenario/types.ts';
import { embeddedProvider } from '../../stack/embedded/index.ts';
import { resultJsonReporter } from '../../reports/result-json.ts';
import type { RunResult } from '../../harness/result-schema.ts';

// Each iteration sends one real message through the embedded relay (delivered), and on top:
// every 3rd registers a message that is never sent (lost), every 4th has a delivery reported
// twice (duplicated), every 5th a message bounced by its recipient's server.
const fixture = defineScenario({
  name: 'ledger-figures',
  description: 'real mail plus deliberate loss, duplication and bounces',
  incident: 'none',
  params: z.object({}),
  stack: () => ({ population: { organisations: [{ name: 'ledger', users: 5 }] } }),
  options: () => ({
    scenarios: { mail: { executor: 'shared-iterations', vus: 2, iterations: 30 } },
    thresholds: { mail_lost: ['count==0'], mail_duplicated: ['count==0'], mail_bounced: ['count==0'], mail_delivered: ['count>0'], 'mail_lost{flow:mail}': ['count==0'] },
  }),
  drain: () => ({ timeout: '3s' }),
  flows: {
    async mail(ctx) {
      const to = ctx.stack.directory!.addressAt(ctx.iteration % 5);
      const sent = await ctx.smtp.send({ from: 'a@partner.example', to: [to], endpoint: 'smtp', sizeBytes: 512 });
      if (!sent.ok) throw new Error(`refused ${sent.code}`);
      const n = ctx.vu * 1000 + ctx.iteration;
      if (n % 3 === 0) ctx.ledger.expect({ id: `never-sent-${n}`, flow: 'mail', recipients: [to], acceptedAt: ctx.clock.now() });
      if (n % 4 === 0) {
        ctx.ledger.expect({ id: `twice-${n}`, flow: 'mail', recipients: [to], acceptedAt: ctx.clock.now() });
        ctx.ledger.arrived({ id: `twice-${n}`, recipient: to, at: ctx.clock.now() });
        ctx.ledger.arrived({ id: `twice-${n}`, recipient: to, at: ctx.clock.now() });
      }
      if (n % 5 === 0) {
        ctx.ledger.expect({ id: `bounce-${n}`, flow: 'mail', recipients: [to], acceptedAt: ctx.clock.now() });
        ctx.ledger.bounced(`bounce-${n}`, to, 'mailbox full', ctx.clock.now());
      }
    },
  },
}) as unknown as ScenarioDefinition;

test('gates on mail_lost, mail_duplicated, mail_bounced and mail_delivered observe the ledger\'s own figures', async (t) => {
  const outDir = await mkdtemp(path.join(os.tmpdir(), 'mailstorm-ledger-gates-'));
  t.teardown(() => rm(outDir, { recursive: true, force: true }));
  const run = new ScenarioRun({
    scenario: { definition: fixture, file: 'test' }, overrides: {}, seed: 5, stackKind: 'embedded',
    provider: async () => embeddedProvider, runId: 'ledger-gates', outDir, command: 'mailstorm run test', version: '0.0.0', reporters: [resultJsonReporter()],
  });
  const outcome = await run.execute();
  const result = JSON.parse(await readFile(path.join(outDir, 'result.json'), 'utf8')) as RunResult;
  const ledger = result.ledger!;
  t.true(ledger.lost > 0 && ledger.duplicated > 0 && ledger.bounced > 0, JSON.stringify(ledger));
  const observed = (metric: string) => result.gates.find((g) => g.metric === metric)?.observed;
  t.is(observed('mail_lost'), ledger.lost);
  t.is(observed('mail_lost{flow:mail}'), ledger.byFlow['mail']!.lost);
  t.is(observed('mail_duplicated'), ledger.duplicated);
  t.is(observed('mail_bounced'), ledger.bounced);
  t.is(observed('mail_delivered'), ledger.delivered);
  // 30 real messages plus the twice-reported ones delivered once each.
  t.is(ledger.delivered, 30 + ledger.duplicated);
  const metric = (name: string) => result.metrics.filter((m) => m.name === name).reduce((a, m) => a + (m.values['count'] ?? 0), 0);
  t.is(metric('mail_lost'), ledger.lost);
  t.is(metric('mail_duplicated'), ledger.duplicated);
  t.is(metric('mail_bounced'), ledger.bounced);
  t.is(outcome.exitCode, 1);
});
