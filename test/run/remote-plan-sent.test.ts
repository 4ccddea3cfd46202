// `mailstorm plan` held to what was sent: an embedded stack described to mailstorm as a
// remote one receives a run's mail and HTTP requests, and the plan printed beforehand must
// match the observed counts within 5 %. Listed in ava.load.config.js: the comparison needs
// the generator to keep up, which other tests' CPU use could prevent.
import test from 'ava';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { embeddedProvider } from '../../stack/embedded/index.ts';
import type { LoadPlan } from '../../harness/plan/load-plan.ts';
import { copyFixture, readResult, runCli } from '../cli/helpers.ts';
import { stackOptions } from '../stack-embedded/helpers.ts';

test('the plan matches the load the platform received within 5 %', async (t) => {
  t.timeout(120_000);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mailstorm-plan-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const scenario = await copyFixture(dir, 'plan-scenario.ts', 'plan-fixture.ts');
  const options = stackOptions({ population: { organisations: [{ name: 'Plan Trust', users: 3 }] } });
  await using platform = await embeddedProvider.start(options);
  const d = platform.directory!;
  const e = platform.endpoints;
  const config = path.join(dir, 'platform.yaml');
  await writeFile(config, `allow: [127.0.0.1]\nsmtp: { host: 127.0.0.1, port: ${e.smtp.port} }\nactivesync: ${e.activesync}\ncaps: { smtp: { rate: 20 } }\n`);
  const set = ['--set', `from=${d.addressAt(0)}`, '--set', `to=${d.addressAt(1)}`, '--set', `ghost=nobody-here@${d.domain}`, '--set', 'rate=12'];
  const planned = await runCli(['plan', scenario, '--stack', 'remote', '--config', config, '--json', ...set], dir);
  t.is(planned.code, 0, planned.stderr);
  const load = (JSON.parse(planned.stdout) as { load: LoadPlan }).load;
  const out = path.join(dir, 'out');
  const r = await runCli(['run', scenario, '--stack', 'remote', '--config', config, '--out', out, '--quiet', '--rig-limit', 'cpuWaitShare=none', ...set], dir);
  t.is(r.code, 0, r.stdout + r.stderr);
  const result = await readResult(out);
  const sum = (name: string, key: string) => result.metrics.filter((m) => m.name === name).reduce((n, m) => n + (m.values[key] ?? 0), 0);
  const attempted = sum('smtp.success', 'passes') + sum('smtp.success', 'fails');
  const requests = sum('http.codes', 'count');
  const plannedMessages = load.endpoints.find((x) => x.endpoint === 'smtp')!.messages!;
  const plannedRequests = load.endpoints.find((x) => x.endpoint === 'activesync')!.requests!;
  t.is(plannedMessages, 37);
  t.is(plannedRequests, 15);
  const within = (observed: number, plannedN: number) => Math.abs(observed - plannedN) <= 0.05 * plannedN;
  t.true(within(attempted, plannedMessages), `${attempted} messages attempted, ${plannedMessages} planned`);
  t.true(within(requests, plannedRequests), `${requests} HTTP requests, ${plannedRequests} planned`);
  // what the platform itself saw: every message but the refused one accepted
  t.true(within(options.metrics.total('mta.accepted') + 1, plannedMessages), `${options.metrics.total('mta.accepted')} accepted by the platform`);
  t.is(sum('smtp.success', 'fails'), 1, 'the ghost recipient was refused');
});
