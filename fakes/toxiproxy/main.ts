// Runs the embedded fault proxy as a standalone server, like toxiproxy-server:
//   npx tsx fakes/toxiproxy/main.ts [--host 127.0.0.1] [--port 8474] [--config proxies.json]
// --config takes the same JSON array POST /populate takes.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { FakeToxiproxy } from './fake-toxiproxy.ts';

const { values } = parseArgs({
  options: { host: { type: 'string', default: '127.0.0.1' }, port: { type: 'string', default: '8474' }, config: { type: 'string' } },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`--port: expected 0..65535, got ${values.port}\n`);
  process.exit(2);
}
const server = await new FakeToxiproxy({ host: values.host, port }).start();
if (values.config) {
  const response = await fetch(`${server.url}/populate`, { method: 'POST', body: await readFile(values.config, 'utf8') });
  if (!response.ok) process.stderr.write(`--config ${values.config}: ${await response.text()}`);
}
process.stdout.write(`fault proxy API listening on ${server.url}\n`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void server.stop().then(() => process.exit(0)));
}
