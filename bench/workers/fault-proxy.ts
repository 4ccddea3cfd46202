// Worker: mailstorm's embedded fault proxy with one proxy (no toxic) in front of
// 127.0.0.1:<upstream>, created through its Toxiproxy API. Prints {"port":N}; stops on SIGTERM.
import { FakeToxiproxy } from '../../fakes/toxiproxy/index.ts';

const upstream = Number(process.argv[2]);
const toxiproxy = await new FakeToxiproxy().start();
const response = await fetch(`${toxiproxy.url}/proxies`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ name: 'bench', listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstream}`, enabled: true }),
});
if (response.status !== 201) throw new Error(`creating the proxy answered ${response.status}: ${await response.text()}`);
const proxy = (await response.json()) as { listen: string };
console.log(JSON.stringify({ port: Number(proxy.listen.split(':').pop()) }));
process.once('SIGTERM', () => void toxiproxy.stop().then(() => process.exit(0)));
