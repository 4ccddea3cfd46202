// 6. Throughput through the embedded fault proxy with no toxic vs straight to the server:
// mailstorm's pipelining client into smtp-sink, the paths alternating run by run. HAProxy,
// a C relay, takes the same path too: what it reaches is what a userspace relay can reach
// on this machine, so the fault proxy's own cost reads as the ratio between the two.
import { startHaproxy, startSmtpSink } from '../lib/peer-processes.ts';
import { runWorker, serverWorker, type Background } from '../lib/processes.ts';
import { spread } from '../lib/stats.ts';
import type { Benchmark } from '../lib/types.ts';
import { CONNECTIONS, OUTSTANDING } from './smtp-generator.ts';

interface SenderResult {
  failed: number;
  rate: number;
}

export const faultProxy: Benchmark = {
  id: 6,
  title: 'fault proxy overhead (no toxic), SMTP into smtp-sink',
  goal: '>= 0.8x direct',
  async run(ctx) {
    const messages = ctx.quick ? 6000 : 30_000;
    const started: Background[] = [];
    const send = async (port: number, count = messages) => {
      const r = await runWorker<SenderResult>('pipeline-sender', [port, count, CONNECTIONS, OUTSTANDING].map(String), 120_000);
      if (r.failed > 0) throw new Error(`${r.failed} messages failed through port ${port}`);
      return r.rate;
    };
    const direct: number[] = [];
    const proxied: number[] = [];
    const relayed: number[] = [];
    try {
      const sink = await startSmtpSink(ctx.peers.smtpSink);
      started.push(sink);
      const proxy = await serverWorker('fault-proxy', [String(sink.port)]);
      started.push(proxy);
      const haproxy = ctx.peers.haproxy ? await startHaproxy(ctx.peers.haproxy, sink.port) : undefined;
      if (haproxy) started.push(haproxy);
      // Untimed warm-up through the fault proxy: its first seconds are spent compiling.
      await send(proxy.port, Math.round(messages / 5));
      for (let i = 0; i < ctx.runs; i++) {
        direct.push(await send(sink.port));
        proxied.push(await send(proxy.port));
        if (haproxy) relayed.push(await send(haproxy.port));
        const peer = haproxy ? `, through HAProxy ${Math.round(relayed.at(-1) ?? 0)}/s` : '';
        ctx.log(`  run ${i + 1}: through the fault proxy ${Math.round(proxied.at(-1) ?? 0)}/s, direct ${Math.round(direct.at(-1) ?? 0)}/s${peer}`);
      }
    } finally {
      await Promise.all(started.map((s) => s.stop()));
    }
    const ratio = { unit: 'x', ...spread(proxied.map((p, i) => p / (direct[i] as number))) };
    const peerFigures = relayed.length > 0 && {
      'through HAProxy (peer relay)': { unit: 'msg/s', ...spread(relayed) },
      'HAProxy vs direct': { unit: 'x', ...spread(relayed.map((r, i) => r / (direct[i] as number))) },
      'fault proxy vs HAProxy': { unit: 'x', ...spread(proxied.map((p, i) => p / (relayed[i] as number))) },
    };
    return {
      figures: { 'through fault proxy': { unit: 'msg/s', ...spread(proxied) }, direct: { unit: 'msg/s', ...spread(direct) }, ...peerFigures },
      ratio,
      met: ratio.median >= 0.8,
      notes: [
        `SmtpPipelineClient (${CONNECTIONS} connections), 2 KB messages, ${messages} a run; the fault proxy runs in its own process`,
        'each message is one read and one write each way in any relay; with the client, the relay and smtp-sink all busy on this machine\'s cores, HAProxy vs direct is the ceiling for a relay here',
      ],
    };
  },
};
