// The embedded fault proxy's own thread (fakes/toxiproxy/thread.ts starts it): serves the
// API and relays every proxied byte here, off the thread the load generator runs on.
import { parentPort, workerData } from 'node:worker_threads';
import { errorMessage } from '../../engine/errors.ts';
import { seededRandom } from '../../engine/random.ts';
import { FakeToxiproxy } from './fake-toxiproxy.ts';
import type { FromProxyThread, ProxyThreadInit, ToProxyThread } from './thread.ts';

const init = workerData as ProxyThreadInit;
const post = (message: FromProxyThread) => parentPort?.postMessage(message);

try {
  const server = await new FakeToxiproxy({ host: init.host, port: init.port, random: seededRandom(init.seed) }).start();
  parentPort?.on('message', (message: ToProxyThread) => {
    if (message.type !== 'stop') return;
    server.stop().then(
      () => { post({ type: 'stopped' }); parentPort?.close(); },
      (error: unknown) => post({ type: 'failed', message: errorMessage(error) }),
    );
  });
  post({ type: 'listening', host: server.host, port: server.port, url: server.url });
} catch (error) {
  post({ type: 'failed', message: errorMessage(error) });
}
