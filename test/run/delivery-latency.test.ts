// delivery_latency on the embedded stack: acceptance is stamped when the client has written the
// message's final "." (before the 250, by which time in-process delivery has often happened),
// on a clock with microseconds, so latencies are small positive fractions of a millisecond,
// not the zeros Date.now() stamped after the reply gave.
import test from 'ava';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { systemClock } from '../../engine/clock.ts';
import { createSmtpClient } from '../../engine/clients/smtp-client.ts';
import { embeddedProvider } from '../../stack/embedded/index.ts';
import { ScenarioRun } from '../../harness/run/run.ts';
import { resultJsonReporter } from '../../reports/result-json.ts';
import type { ScenarioDefinition } from '../../harness/scenario/types.ts';
import type { RunResult } from '../../harness/result-schema.ts';
import smoke from '../../scenarios/smoke.ts';
import { eventually } from '../fakes-smtp/helpers.ts';
import { stackOptions } from '../stack-embedded/helpers.ts';

test('every delivery through the embedded relay has a positive latency, and most are not whole milliseconds', async (t) => {
  const options = stackOptions({ population: { organisations: [{ name: 'latency', users: 5 }] } });
  await using stack = await embeddedProvider.start(options);
  const directory = stack.directory!;
  const client = createSmtpClient({ endpoints: stack.endpoints, ledger: options.ledger, metrics: options.metrics, clock: systemClock });
  t.teardown(() => client.close());
  const n = 20;
  for (let i = 0; i < n; i++) t.true((await client.send({ from: 'a@partner.example', to: [directory.addressAt(i % 5)], flow: 'mail' })).ok);
  t.true(await eventually(() => options.ledger.outstanding() === 0, 10_000));
  const latencies = options.metrics.records.filter((r) => r.name === 'delivery_latency').map((r) => r.value);
  t.is(latencies.length, n);
  t.true(latencies.every((l) => l > 0), `latencies ${latencies.join(', ')}`);
  const fractional = latencies.filter((l) => !Number.isInteger(l)).length;
  t.true(fractional > n / 2, `${fractional} of ${n} are not whole ms: ${latencies.join(', ')}`);
  t.log(`delivery latency, ms: ${latencies.map((l) => l.toFixed(3)).join(' ')}`);
});

test('an embedded smoke run reports delivery_latency above 0 with sub-millisecond figures', async (t) => {
  const outDir = await mkdtemp(path.join(os.tmpdir(), 'mailstorm-latency-'));
  t.teardown(() => rm(outDir, { recursive: true, force: true }));
  const run = new ScenarioRun({
    scenario: { definition: smoke as unknown as ScenarioDefinition, file: 'builtin:smoke' }, overrides: { set: ['duration=2s'] }, seed: 2, stackKind: 'embedded',
    provider: async () => embeddedProvider, runId: 'latency', outDir, command: 'mailstorm run smoke', version: '0.0.0', reporters: [resultJsonReporter()],
  });
  await run.execute();
  const result = JSON.parse(await readFile(path.join(outDir, 'result.json'), 'utf8')) as RunResult;
  const latency = result.metrics.find((m) => m.name === 'delivery_latency')!;
  t.is(latency.values['count'], result.ledger!.delivered);
  t.true((latency.values['min'] ?? 0) > 0, JSON.stringify(latency.values));
  t.false(Number.isInteger(latency.values['med']), JSON.stringify(latency.values));
  t.false(Number.isInteger(latency.values['avg']), JSON.stringify(latency.values));
});
