// Worker: one message to a list of `members` through the embedded MTA, every delivery going
// to the ledger sink in process and recorded by the MemoryLedger. Prints wall time (250 to
// the last delivery accounted), deliveries/s and memory.
import { systemClock } from '../../engine/clock.ts';
import { MessageTemplate, SmtpPipelineClient } from '../../engine/clients/smtp-pipeline-client.ts';
import { MemoryLedger } from '../../engine/ledger/memory-ledger.ts';
import { MetricsRegistry } from '../../engine/metrics/registry.ts';
import { ArrivalRecorder, sinkTarget } from '../../fakes/sink/index.ts';
import { FakeMta } from '../../fakes/smtp/index.ts';
import { benchDirectory, LIST, listMembers } from './bench-directory.ts';

const members = listMembers(Number(process.argv[2]));
const metrics = new MetricsRegistry({ startedAt: Date.now() });
const ledger = new MemoryLedger({ metrics, clock: systemClock });
const recorder = new ArrivalRecorder(ledger, systemClock, 'sink', metrics);
const mta = await new FakeMta({
  directory: benchDirectory(members),
  target: sinkTarget(recorder),
  metrics,
  ledger,
  stormProtection: false,
  deliveryWorkers: 64,
  highWater: 10_000_000,
}).start();
const client = new SmtpPipelineClient({ host: mta.host, port: mta.port, connections: 1 });
const id = 'fanout-1';
const message = new MessageTemplate(['From: <boss@bench.test>', `To: <${LIST}>`, 'Subject: to everyone', 'X-Mailstorm-Id: IDIDIDID', '', 'hello all', ''].join('\r\n'), 'IDIDIDID');

global.gc?.();
const heapBefore = process.memoryUsage().heapUsed;
const started = performance.now();
const result = await client.send({ from: 'boss@bench.test', to: [LIST] }, message.render(id));
if (!result.ok) throw new Error(`MTA refused the message: ${result.code} ${result.response}`);
ledger.expect({ id, flow: 'fanout', recipients: members, acceptedAt: systemClock.now() });
let peakRss = process.memoryUsage().rss;
const deadline = Date.now() + 300_000;
while (ledger.outstanding() > 0 && Date.now() < deadline) {
  await new Promise((r) => setTimeout(r, 20));
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}
const ms = performance.now() - started;
const summary = ledger.reconcile({ final: true, now: systemClock.now() });
const heapAfter = process.memoryUsage().heapUsed;
await client.close();
await mta.stop();
console.log(JSON.stringify({
  members: members.length,
  delivered: summary.delivered,
  lost: summary.lost,
  duplicated: summary.duplicated,
  ms,
  rate: summary.delivered / (ms / 1000),
  peakRssMiB: peakRss / 2 ** 20,
  heapGrowthMiB: (heapAfter - heapBefore) / 2 ** 20,
}));
