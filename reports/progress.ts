// Live progress: on a TTY one line rewritten each second; elsewhere (CI logs) a plain
// line every 10 s. Nothing under --quiet (the reporter is simply not added).
import { formatDuration } from '../engine/duration.ts';
import type { Reporter, RunMeta, Sample } from '../harness/reporter.ts';

export function formatProgress(meta: RunMeta, s: Sample): string {
  const rates = Object.entries(s.iterationsPerSec).map(([flow, r]) => `${flow} ${r.toFixed(1)} it/s`).join(', ');
  const parts = [
    `${formatDuration(s.elapsedMs)}/${formatDuration(meta.plannedMs)}`,
    rates || 'no iterations yet',
    `${s.activeVUs} VUs`,
    `${s.errors} errors${s.refused ? `, ${s.refused} sends refused` : ''}`,
    `${s.outstandingDeliveries} outstanding`,
  ];
  if (s.failingGates.length) parts.push(`failing: ${s.failingGates.join(', ')}`);
  return `${meta.scenario} ${parts.join(' | ')}`;
}

export function progressReporter(options: { stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }; plainEveryMs?: number }): Reporter {
  const { stream } = options;
  const tty = stream.isTTY === true;
  const plainEvery = options.plainEveryMs ?? 10_000;
  let meta: RunMeta | undefined;
  let lastPlain = -Infinity;
  let drawn = false;
  return {
    onBegin(m) {
      meta = m;
    },
    onSample(sample) {
      if (!meta) return;
      const line = formatProgress(meta, sample);
      if (tty) {
        const width = Math.max(20, (stream.columns ?? 120) - 1);
        stream.write(`\r\x1b[2K${line.slice(0, width)}`);
        drawn = true;
      } else if (sample.elapsedMs - lastPlain >= plainEvery) {
        lastPlain = sample.elapsedMs;
        stream.write(`${line}\n`);
      }
    },
    onEnd() {
      if (tty && drawn) stream.write('\r\x1b[2K');
    },
  };
}
