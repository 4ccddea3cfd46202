// One Toxiproxy proxy in front of every endpoint. The real Toxiproxy image is used when it is
// present locally (it is never pulled); otherwise mailstorm's own Toxiproxy-compatible fault
// proxy runs on the host in front of the published container ports. Both speak Toxiproxy's
// HTTP API, so the chaos code (toxiproxy-node-client) drives either.
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { GenericContainer, Wait, type StartedNetwork, type StartedTestContainer } from 'testcontainers';
import { StackError, errorMessage } from '../../engine/errors.ts';
import type { Random } from '../../engine/random.ts';
import { FakeToxiproxy, TOXIPROXY_VERSION } from '../../fakes/toxiproxy/index.ts';
import type { HostPort, ProxyInfo, StackComponent } from '../types.ts';
import { imagePresent, inspectImage, TOXIPROXY_IMAGE } from './images.ts';
import { stackLabels } from './labels.ts';

export interface ProxyTarget {
  name: string;
  /** The service as seen inside the docker network, "mta:25". */
  internal: string;
  /** The service as published on the host. */
  published: HostPort;
}

export interface StartedFaultProxy {
  /** Toxiproxy API base URL on 127.0.0.1. */
  api: string;
  proxies: Record<string, ProxyInfo>;
  component: StackComponent;
  note: string;
  stop(): Promise<void>;
}

export interface FaultProxyOptions {
  targets: ProxyTarget[];
  network: StartedNetwork;
  runId: string;
  logDir: string;
  random: Random;
  /** "auto" (default): the real image when present; "fake": always mailstorm's. */
  toxiproxy?: 'auto' | 'real' | 'fake';
}

// Ports the real Toxiproxy listens on inside its container, one per proxy.
const FIRST_PROXY_PORT = 21_000;

export async function startFaultProxy(o: FaultProxyOptions): Promise<StartedFaultProxy> {
  const choice = o.toxiproxy ?? 'auto';
  const real = choice !== 'fake' && (await imagePresent(TOXIPROXY_IMAGE));
  if (choice === 'real' && !real) {
    throw new StackError(`toxiproxy: "real" asked for, but ${TOXIPROXY_IMAGE} is not present locally (docker load or pull it first)`);
  }
  return real ? startRealToxiproxy(o) : startHostFaultProxy(o);
}

async function startHostFaultProxy(o: FaultProxyOptions): Promise<StartedFaultProxy> {
  const started = await new FakeToxiproxy({ random: o.random.fork('toxiproxy') }).start();
  try {
    const proxies: Record<string, ProxyInfo> = {};
    for (const t of o.targets) {
      const listen = await createProxy(started.url, t.name, '127.0.0.1:0', `${t.published.host}:${t.published.port}`);
      proxies[t.name] = { name: t.name, listen, upstream: t.published };
    }
    return {
      api: started.url,
      proxies,
      component: { name: 'toxiproxy', version: `mailstorm fault proxy (Toxiproxy ${TOXIPROXY_VERSION} API)`, endpoint: started.url },
      note: `Toxiproxy: ${TOXIPROXY_IMAGE} is not present locally, so mailstorm's own Toxiproxy-compatible fault proxy runs on the host (127.0.0.1) in front of the containers' published ports`,
      stop: () => started.stop(),
    };
  } catch (error) {
    await started.stop();
    throw error;
  }
}

async function startRealToxiproxy(o: FaultProxyOptions): Promise<StartedFaultProxy> {
  const ports = o.targets.map((_, i) => FIRST_PROXY_PORT + i);
  const logFile = join(o.logDir, 'toxiproxy.log');
  const container: StartedTestContainer = await new GenericContainer(TOXIPROXY_IMAGE)
    .withExposedPorts(8474, ...ports)
    .withNetwork(o.network)
    .withName(`mailstorm-${o.runId}-toxiproxy`)
    .withLabels(stackLabels(o.runId, 'toxiproxy'))
    .withLogConsumer((stream) => stream.pipe(createWriteStream(logFile, { flags: 'a' })))
    .withWaitStrategy(Wait.forHttp('/version', 8474))
    .withStartupTimeout(60_000)
    .start();
  const api = `http://127.0.0.1:${container.getMappedPort(8474)}`;
  try {
    const proxies: Record<string, ProxyInfo> = {};
    for (const [i, t] of o.targets.entries()) {
      const inner = ports[i] as number;
      await createProxy(api, t.name, `0.0.0.0:${inner}`, t.internal);
      const [host, port] = t.internal.split(':');
      proxies[t.name] = {
        name: t.name,
        listen: { host: '127.0.0.1', port: container.getMappedPort(inner) },
        upstream: { host: host ?? t.internal, port: Number(port) },
      };
    }
    const image = await inspectImage(TOXIPROXY_IMAGE);
    return {
      api,
      proxies,
      component: { name: 'toxiproxy', version: '2.12.0', image: TOXIPROXY_IMAGE, digest: image.digest, endpoint: api },
      note: `Toxiproxy: the real ${TOXIPROXY_IMAGE} container on the stack's network`,
      stop: async () => {
        await container.stop({ remove: true, removeVolumes: true, timeout: 5_000 });
      },
    };
  } catch (error) {
    await container.stop({ remove: true, removeVolumes: true, timeout: 5_000 });
    throw error;
  }
}

/** POST /proxies; returns where the proxy really listens (Toxiproxy reports the bound port). */
async function createProxy(api: string, name: string, listen: string, upstream: string): Promise<HostPort> {
  let response: Response;
  try {
    response = await fetch(`${api}/proxies`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name, listen, upstream, enabled: true }),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    throw new StackError(`toxiproxy: creating proxy "${name}" failed: ${errorMessage(error)}`);
  }
  const body = (await response.json()) as { listen?: string; error?: string };
  if (response.status !== 201 || !body.listen) {
    throw new StackError(`toxiproxy: creating proxy "${name}" answered ${response.status} ${body.error ?? ''}`.trim());
  }
  const at = body.listen.lastIndexOf(':');
  return { host: '127.0.0.1', port: Number(body.listen.slice(at + 1)) };
}
