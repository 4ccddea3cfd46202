// 6. Throughput through the embedded fault proxy with no toxic vs straight to the server:
// mailstorm's pipelining client into smtp-sink, alternating direct and proxied run by run.
import { startSmtpSink } from '../lib/peer-processes.ts';
import { runWorker, serverWorker } from '../lib/processes.ts';
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
    const sink = await startSmtpSink(ctx.peers.smtpSink);
    const proxy = await serverWorker('fault-proxy', [String(sink.port)]).catch(async (error: unknown) => {
      await sink.stop();
      throw error;
    });
    const direct: number[] = [];
    const proxied: number[] = [];
    const ratios: number[] = [];
    const send = async (port: number) => {
      const r = await runWorker<SenderResult>('pipeline-sender', [port, messages, CONNECTIONS, OUTSTANDING].map(String), 120_000);
      if (r.failed > 0) throw new Error(`${r.failed} messages failed through port ${port}`);
      return r.rate;
    };
    try {
      for (let i = 0; i < ctx.runs; i++) {
        const d = await send(sink.port);
        const p = await send(proxy.port);
        direct.push(d);
        proxied.push(p);
        ratios.push(p / d);
        ctx.log(`  run ${i + 1}: through the proxy ${Math.round(p)}/s, direct ${Math.round(d)}/s`);
      }
    } finally {
      await Promise.all([proxy.stop(), sink.stop()]);
    }
    const ratio = { unit: 'x', ...spread(ratios) };
    return {
      figures: { 'through fault proxy': { unit: 'msg/s', ...spread(proxied) }, direct: { unit: 'msg/s', ...spread(direct) } },
      ratio,
      met: ratio.median >= 0.8,
      notes: [`SmtpPipelineClient (${CONNECTIONS} connections), 2 KB messages, ${messages} a run; the proxy runs in its own process`],
    };
  },
};
