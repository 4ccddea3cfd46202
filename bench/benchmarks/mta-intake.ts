// 2. smtp-source into mailstorm's fake MTA vs into smtp-sink: how fast the fake takes mail
// (one message per connection, so per-connection costs count), alternating run by run after
// an untimed warm-up into each (a run's fake MTA lives for minutes; its first seconds are
// spent compiling, which is not the intake a run sees).
import { smtpSourceRate, startSmtpSink } from '../lib/peer-processes.ts';
import { serverWorker } from '../lib/processes.ts';
import { spread } from '../lib/stats.ts';
import type { Benchmark } from '../lib/types.ts';

export const mtaIntake: Benchmark = {
  id: 2,
  title: 'fake MTA intake (smtp-source -s 20 -l 2048)',
  // Reliably: the lowest run of the set must reach it, not the median.
  goal: '>= 0.6x smtp-sink in every run (min of the runs)',
  async run(ctx) {
    const messages = ctx.quick ? 2000 : 10_000;
    const source = { messages, from: 'load@bench.test', to: 'rcpt@bench.test', timeoutMs: 180_000 };
    const sink = await startSmtpSink(ctx.peers.smtpSink);
    const mta = await serverWorker('fake-mta-server', []).catch(async (error: unknown) => {
      await sink.stop();
      throw error;
    });
    const ours: number[] = [];
    const theirs: number[] = [];
    const ratios: number[] = [];
    try {
      const warmUp = { ...source, messages: messages / 2 };
      await smtpSourceRate(ctx.peers.smtpSource, { ...warmUp, port: sink.port });
      await smtpSourceRate(ctx.peers.smtpSource, { ...warmUp, port: mta.port });
      for (let i = 0; i < ctx.runs; i++) {
        const intoSink = await smtpSourceRate(ctx.peers.smtpSource, { ...source, port: sink.port });
        const intoMta = await smtpSourceRate(ctx.peers.smtpSource, { ...source, port: mta.port });
        theirs.push(intoSink);
        ours.push(intoMta);
        ratios.push(intoMta / intoSink);
        ctx.log(`  run ${i + 1}: fake MTA ${Math.round(intoMta)}/s, smtp-sink ${Math.round(intoSink)}/s`);
      }
    } finally {
      await Promise.all([sink.stop(), mta.stop()]);
    }
    const ratio = { unit: 'x', ...spread(ratios) };
    return {
      figures: { 'fake MTA': { unit: 'msg/s', ...spread(ours) }, 'smtp-sink': { unit: 'msg/s', ...spread(theirs) } },
      ratio,
      met: ratio.min >= 0.6,
      notes: [
        `smtp-source -s 20 -l 2048 -m ${messages} -f load@bench.test -t rcpt@bench.test, after ${messages / 2} untimed into each; the MTA delivers into a target that drops each delivery`,
      ],
    };
  },
};
