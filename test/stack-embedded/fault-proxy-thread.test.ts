import test from 'ava';
import net from 'node:net';
import { threadId } from 'node:worker_threads';
import { Toxiproxy } from 'toxiproxy-node-client';
import { MemoryEventLog } from '../../engine/events.ts';
import { seededRandom } from '../../engine/random.ts';
import { startFaultProxy } from '../../stack/embedded/fault-proxy.ts';
import { embeddedProvider } from '../../stack/embedded/index.ts';
import { startFaultProxyThread } from '../../fakes/toxiproxy/thread.ts';
import { listening, stackOptions } from './helpers.ts';

test('on two or more cores the embedded fault proxy runs on its own thread, relays traffic, applies toxics and ends with the stack', async (t) => {
  const options = stackOptions();
  const stack = await embeddedProvider.start(options);
  t.is(stack.threads, 1);
  const component = stack.description.components.find((c) => c.name.startsWith('toxiproxy'));
  const id = Number(/thread (\d+)/.exec(component?.name ?? '')?.[1]);
  t.true(Number.isInteger(id) && id !== threadId, `${component?.name}`);
  const submission = stack.endpoints.submission;
  t.regex(await smtpGreeting(submission.port), /^220 /);
  // a latency toxic set over the API (as chaos does) delays the greeting by at least its 300 ms
  const proxy = await new Toxiproxy(stack.endpoints.toxiproxy).get('submission');
  await proxy.addToxic({ type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 300, jitter: 0 } } as never);
  const started = performance.now();
  t.regex(await smtpGreeting(submission.port), /^220 /);
  t.true(performance.now() - started >= 295, `greeting after ${performance.now() - started} ms`);
  const apiPort = Number(new URL(stack.endpoints.toxiproxy).port);
  await stack.stop();
  t.false(await listening(apiPort));
  t.false(await listening(submission.port));
  t.deepEqual(options.events.all().filter((e) => e.type === 'stack.fault_proxy_failed'), []);
});

test('one core: the fault proxy stays on the main thread', async (t) => {
  const proxy = await startFaultProxy(seededRandom(1), undefined, new MemoryEventLog(Date.now()), 1);
  t.is(proxy.threadId, undefined);
  t.true(await listening(proxy.port));
  await proxy.stop();
  t.false(await listening(proxy.port));
});

test('a fault proxy thread that cannot listen fails the start with the reason, and leaves no thread behind', async (t) => {
  const taken = net.createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const port = (taken.address() as net.AddressInfo).port;
  const error = await t.throwsAsync(startFaultProxyThread({ port, seed: 1 }));
  t.regex(error?.message ?? '', /fault proxy thread ended \(exit code \d+\): .*EADDRINUSE.* before it listened/);
  taken.close();
});

/** The first line a server on 127.0.0.1:port sends. */
function smtpGreeting(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.setEncoding('utf8');
    socket.once('data', (line: string) => { socket.end('QUIT\r\n'); resolve(line); });
    socket.once('error', reject);
  });
}
