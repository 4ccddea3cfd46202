// One mail container (Postfix + Dovecot from mailstorm/mail) on the stack's network, ports
// published on 127.0.0.1 only, logs streamed into the run's log folder.
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { GenericContainer, Wait, type StartedNetwork, type StartedTestContainer } from 'testcontainers';
import type { HostPort } from '../types.ts';
import { stackLabels } from './labels.ts';
import { StartLog } from './start-failure.ts';

export const MAIL_PORTS = { smtp: 25, submission: 587, imap: 143, lmtp: 24 } as const;
export type MailPortName = keyof typeof MAIL_PORTS;
/** Opened (and published) only with TLS_MODE=implicit: the wait strategy waits for every exposed port. */
export const IMPLICIT_TLS_PORTS = { submissions: 465, imaps: 993 } as const;
export type ImplicitTlsPortName = keyof typeof IMPLICIT_TLS_PORTS;

/**
 * The container's name, which is also its DNS name on the stack's network. Names, not
 * network aliases: testcontainers attaches a container with aliases to the default bridge as
 * well, and a stack's containers should sit on the stack's own network only.
 */
export function containerName(runId: string, role: string): string {
  return `mailstorm-${runId}-${role}`;
}

export interface MailContainerOptions {
  image: string;
  network: StartedNetwork;
  /** "mta", "mta-standby", "store-target" ... */
  role: string;
  runId: string;
  env: Record<string, string>;
  files: { content: string; target: string; mode?: number }[];
  /** The container serves 465 and 993 (TLS_MODE=implicit in env): publish them too. */
  implicitTls?: boolean;
  logDir: string;
  /** Receives every log line (Postfix and Dovecot), e.g. for delivery accounting. */
  onLogLine?: (line: string) => void;
}

export interface StartedMailContainer {
  role: string;
  container: StartedTestContainer;
  /** Published ports on 127.0.0.1 (465 and 993 only with implicit TLS). */
  ports: Record<MailPortName, HostPort> & Partial<Record<ImplicitTlsPortName, HostPort>>;
  /** Address of a service inside the network, e.g. "mta:25". */
  internal(name: MailPortName | ImplicitTlsPortName): string;
  logFile: string;
  exec(command: string[]): Promise<string>;
  stop(): Promise<void>;
}

// testcontainers publishes on every interface; a load-test rig must not expose a mail server
// beyond the machine, so the bindings are narrowed to 127.0.0.1 before the container is made.
class LoopbackContainer extends GenericContainer {
  withLoopbackPorts(...ports: number[]): this {
    this.withExposedPorts(...ports);
    const bindings = this.hostConfig.PortBindings as Record<string, { HostIp?: string; HostPort?: string }[]>;
    for (const key of Object.keys(bindings)) bindings[key] = [{ HostIp: '127.0.0.1', HostPort: '0' }];
    return this;
  }
}

export async function startMailContainer(o: MailContainerOptions): Promise<StartedMailContainer> {
  const logFile = join(o.logDir, `${o.role}.log`);
  let log: WriteStream | undefined;
  const startLog = new StartLog();
  const portMap: Record<string, number> = { ...MAIL_PORTS, ...(o.implicitTls && IMPLICIT_TLS_PORTS) };
  const started = new LoopbackContainer(o.image)
    .withLoopbackPorts(...Object.values(portMap))
    .withNetwork(o.network)
    .withName(containerName(o.runId, o.role))
    .withHostname(o.role)
    .withLabels(stackLabels(o.runId, o.role))
    .withEnvironment(o.env)
    .withCopyContentToContainer(o.files)
    .withLogConsumer((stream) => {
      log = createWriteStream(logFile, { flags: 'a' });
      stream.pipe(log);
      const onLine = o.onLogLine;
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
        startLog.line(line);
        onLine?.(line);
      });
    })
    // The entrypoint's "started" line, or the end of its log when it gave up (a Dovecot
    // configuration that does not parse), instead of waiting out the timeout on closed ports.
    .withWaitStrategy(Wait.forAll([Wait.forLogMessage('mailstorm-entrypoint: started'), Wait.forListeningPorts()]))
    .withStartupTimeout(90_000)
    .start();
  let container: StartedTestContainer;
  try {
    container = await started;
  } catch (error) {
    throw await startLog.failure(o.role, o.image, error);
  }
  const ports = Object.fromEntries(
    Object.entries(portMap).map(([name, port]) => [name, { host: '127.0.0.1', port: container.getMappedPort(port) }]),
  ) as StartedMailContainer['ports'];
  let stopped: Promise<void> | undefined;
  return {
    role: o.role,
    container,
    ports,
    internal: (name) => `${containerName(o.runId, o.role)}:${name in MAIL_PORTS ? MAIL_PORTS[name as MailPortName] : IMPLICIT_TLS_PORTS[name as ImplicitTlsPortName]}`,
    logFile,
    async exec(command) {
      const result = await container.exec(command);
      return result.output;
    },
    stop: () =>
      (stopped ??= (async () => {
        await container.stop({ remove: true, removeVolumes: true, timeout: 5_000 });
        log?.end();
      })()),
  };
}
