// Worker: mailstorm's pipelining client sends `count` 2 KB single-recipient messages, each
// with its own ledger id, as fast as it can; prints messages/s (first connect to last 250).
import { MessageTemplate, SmtpPipelineClient } from '../../engine/clients/smtp-pipeline-client.ts';
import { MetricsRegistry } from '../../engine/metrics/registry.ts';

const [port, count, connections, outstanding] = process.argv.slice(2).map(Number) as [number, number, number, number];
const ID = 'ID'.repeat(12);
const head = ['From: <load@bench.test>', 'To: <rcpt@bench.test>', 'Subject: mailstorm bench', `X-Mailstorm-Id: ${ID}`, 'MIME-Version: 1.0', '', ''].join('\r\n');
const line = 'The quick brown fox jumps over the lazy dog, mailstorm filler text 0123456789.\r\n';
const template = new MessageTemplate(head + line.repeat(Math.ceil(2048 / line.length)).slice(0, 2048 - head.length - 2) + '\r\n', ID);

const metrics = new MetricsRegistry({ startedAt: Date.now() });
const client = new SmtpPipelineClient({ host: '127.0.0.1', port, connections, metrics, flow: 'bench' });
const envelope = { from: 'load@bench.test', to: ['rcpt@bench.test'] };
let sent = 0;
let ok = 0;
let failed = 0;
const started = performance.now();
await new Promise<void>((resolve) => {
  let inFlight = 0;
  const pump = (): void => {
    while (inFlight < outstanding && sent < count) {
      inFlight++;
      void client.send(envelope, template.render(`b${(sent++).toString(36)}`)).then((result) => {
        inFlight--;
        if (result.ok) ok++;
        else failed++;
        if (ok + failed === count) resolve();
        else pump();
      });
    }
  };
  pump();
});
const ms = performance.now() - started;
await client.close();
console.log(JSON.stringify({ sent, ok, failed, ms, rate: ok / (ms / 1000), bytes: template.size, connections: client.stats.connectionsOpened }));
