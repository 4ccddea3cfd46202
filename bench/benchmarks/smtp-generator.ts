// 1. mailstorm's pipelining client vs Postfix's smtp-source, both into the same smtp-sink,
// alternating run by run so background load hits both alike. The headline peer is
// `smtp-source -d -s 20`: like mailstorm it keeps its sessions open for the next message;
// smtp-source's default (a new connection per message) is the secondary line.
import { postalRate, smtpSourceRate, startSmtpSink } from '../lib/peer-processes.ts';
import { runWorker } from '../lib/processes.ts';
import { spread } from '../lib/stats.ts';
import type { Benchmark } from '../lib/types.ts';

interface SenderResult {
  ok: number;
  failed: number;
  rate: number;
}

export const CONNECTIONS = 16;
export const OUTSTANDING = 256;

export const smtpGenerator: Benchmark = {
  id: 1,
  title: 'SMTP generator (2 KB, 1 rcpt) into smtp-sink',
  goal: '>= 1.2x smtp-source -d -s 20 -l 2048 (reused sessions)',
  async run(ctx) {
    const peerMessages = ctx.quick ? 2000 : 10_000;
    const ourMessages = peerMessages * 3; // ours is faster: a longer run keeps start-up out of the figure
    const sink = await startSmtpSink(ctx.peers.smtpSink);
    const ours: number[] = [];
    const theirs: number[] = [];
    const ratios: number[] = [];
    const postal: number[] = [];
    const reusing: number[] = [];
    const reusingRatios: number[] = [];
    try {
      for (let i = 0; i < ctx.runs; i++) {
        const peer = await smtpSourceRate(ctx.peers.smtpSource, { port: sink.port, messages: peerMessages, timeoutMs: 120_000 });
        const result = await runWorker<SenderResult>('pipeline-sender', [sink.port, ourMessages, CONNECTIONS, OUTSTANDING].map(String), 120_000);
        if (result.failed > 0) throw new Error(`${result.failed} messages failed`);
        theirs.push(peer);
        ours.push(result.rate);
        ratios.push(result.rate / peer);
        const reused = await smtpSourceRate(ctx.peers.smtpSource, { port: sink.port, messages: ourMessages, reuseConnections: true, timeoutMs: 120_000 });
        reusing.push(reused);
        reusingRatios.push(result.rate / reused);
        if (ctx.peers.postal) postal.push(await postalRate(ctx.peers.postal, ctx.peers.smtpSink, ctx.quick ? 5 : 10));
        ctx.log(`  run ${i + 1}: mailstorm ${Math.round(result.rate)}/s, smtp-source ${Math.round(peer)}/s, smtp-source -d ${Math.round(reused)}/s${ctx.peers.postal ? `, postal ${Math.round(postal.at(-1) ?? 0)}/s` : ''}`);
      }
    } finally {
      await sink.stop();
    }
    const ratio = { unit: 'x', ...spread(reusingRatios) };
    return {
      figures: {
        mailstorm: { unit: 'msg/s', ...spread(ours) },
        'smtp-source -d (reused sessions)': { unit: 'msg/s', ...spread(reusing) },
        'smtp-source (a connection per message)': { unit: 'msg/s', ...spread(theirs) },
        'ratio to smtp-source, a connection per message': { unit: 'x', ...spread(ratios) },
        ...(postal.length > 0 && { 'postal -t 20 (for reference)': { unit: 'msg/s', ...spread(postal) } }),
      },
      ratio,
      met: ratio.median >= 1.2,
      notes: [
        `mailstorm: SmtpPipelineClient, ${CONNECTIONS} reused connections, PIPELINING, ${ourMessages} messages a run, each rendered from a template with its own id`,
        `ratio: to smtp-source -d -s 20 -l 2048 -m ${ourMessages} (20 sessions, each kept for the next message, no pipelining); smtp-source -s 20 -l 2048 -m ${peerMessages} (its default, one message per connection) is the secondary ratio`,
        'postal: -t 20 -m 2 -M 2 -c 1 -r 6000000 for a fixed time into its own smtp-sink -c, which counts the messages; it stays near its default 400/s (24,000 a minute) here whatever -r says (0 and 100000 measured the same), so it is a reference, not a peer',
      ],
    };
  },
};
