import net from 'node:net';
import { systemClock } from '../../engine/clock.ts';
import { MemoryEventLog } from '../../engine/events.ts';
import { MemoryLedger } from '../../engine/ledger/memory-ledger.ts';
import { seededRandom } from '../../engine/random.ts';
import type { StackOptions, StackSpec } from '../../stack/types.ts';
import { RecordingMetrics } from '../ledger/recording-metrics.ts';

export function stackOptions(spec: StackSpec = {}): StackOptions & { ledger: MemoryLedger; events: MemoryEventLog; metrics: RecordingMetrics } {
  const metrics = new RecordingMetrics();
  return {
    spec,
    clock: systemClock,
    random: seededRandom(7),
    metrics,
    ledger: new MemoryLedger({ metrics, clock: systemClock }),
    events: new MemoryEventLog(Date.now()),
    logDir: '/tmp',
  };
}

/** true when something accepts a TCP connection on the port. */
export function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}
