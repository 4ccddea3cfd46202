// Runs the embedded fault proxy in a worker thread of this process. Every proxied byte of a
// run crosses it twice (client -> proxy -> service), so on a machine with more than one core
// it gets a thread of its own instead of sharing the generator's. Nothing else is shared
// with it: chaos and the stack reach it over its HTTP API, as they reach a real Toxiproxy.
import { errorMessage } from '../../engine/errors.ts';
import { startThread } from '../../engine/threads/start-thread.ts';
import type { StartedFakeToxiproxy } from './fake-toxiproxy.ts';

export interface ProxyThreadInit {
  host: string;
  port: number;
  /** seeds the thread's random source (toxicity rolls, jitter, slice sizes) */
  seed: number;
}

export type FromProxyThread =
  | { type: 'listening'; host: string; port: number; url: string }
  | { type: 'stopped' }
  | { type: 'failed'; message: string };

export type ToProxyThread = { type: 'stop' };

const ENTRY = new URL('./thread-main.ts', import.meta.url);

export interface ThreadedFakeToxiproxy extends StartedFakeToxiproxy {
  /** The thread's id (worker_threads' threadId). */
  readonly threadId: number;
  /** Resolves once the thread has exited: why, when it was not asked to stop. */
  readonly exited: Promise<{ unexpected?: string }>;
}

export function startFaultProxyThread(options: { host?: string; port?: number; seed: number }): Promise<ThreadedFakeToxiproxy> {
  const init: ProxyThreadInit = { host: options.host ?? '127.0.0.1', port: options.port ?? 0, seed: options.seed };
  const worker = startThread(ENTRY, { workerData: init });
  let failure: string | undefined;
  let stopping: Promise<void> | undefined;
  // Listened to for the thread's whole life: an 'error' nobody listens to would end the process.
  worker.on('error', (error) => { failure ??= errorMessage(error); });
  const exited = new Promise<{ unexpected?: string }>((resolve) => worker.once('exit', (code) => {
    resolve(stopping ? {} : { unexpected: `the fault proxy thread ended (exit code ${code})${failure ? `: ${failure}` : ''}` });
  }));
  const stop = () =>
    (stopping ??= (async () => {
      worker.postMessage({ type: 'stop' } satisfies ToProxyThread);
      // A thread that does not answer within 5 s is ended: teardown must not hang on it.
      const timer = setTimeout(() => void worker.terminate(), 5000);
      await exited;
      clearTimeout(timer);
    })());
  return new Promise((resolve, reject) => {
    void exited.then(({ unexpected }) => reject(new Error(`${unexpected ?? 'the fault proxy thread ended'} before it listened`)));
    worker.on('message', (message: FromProxyThread) => {
      if (message.type === 'failed') {
        failure ??= message.message;
        void worker.terminate();
      } else if (message.type === 'listening') {
        resolve({ host: message.host, port: message.port, url: message.url, threadId: worker.threadId, exited, stop, [Symbol.asyncDispose]: stop });
      }
    });
  });
}
