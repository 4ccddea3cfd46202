// 2. smtp-source into mailstorm's fake MTA vs into smtp-sink: how fast the fake takes mail
// (one message per connection, so per-connection costs count), alternating run by run after
// an untimed warm-up into each (a run's fake MTA lives for minutes; its first seconds are
// spent compiling, which is not the intake a run sees).
import { processCpu } from '../lib/cpu.ts';
import { smtpSourceRate, startSmtpSink } from '../lib/peer-processes.ts';
import { serverWorker } from '../lib/processes.ts';
import { spread } from '../lib/stats.ts';
import type { Benchmark } from '../lib/types.ts';

// From a V8 CPU profile of the fake MTA taking 25,000 one-message connections from
// smtp-source (bench/README.md, "Where the fake MTA's time goes"): what is left is not mailstorm's.
const WHERE_THE_TIME_GOES =
  "where the fake MTA's time goes (CPU profile, share of its busy time): the socket writes of its 7 replies a connection 52 %, " +
  "Node's sockets and streams (accept, Socket objects, the pipes smtp-server reads through) 21 %, smtp-server's parser and handlers 10 %, " +
  "garbage collection 6 %, closing sockets 4 %, mailstorm's own policy and accounting 2 %: per message the kernel's share is about the same " +
  "on both sides, and the rest is JavaScript that smtp-sink, in C, does not run";

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
    // CPU per message of each server over its timed runs, split into user and kernel time.
    const perMessage = { mta: { user: [] as number[], system: [] as number[] }, sink: { user: [] as number[], system: [] as number[] } };
    const timed = async (port: number, pid: number | undefined, into: { user: number[]; system: number[] }) => {
      const before = processCpu(pid);
      const rate = await smtpSourceRate(ctx.peers.smtpSource, { ...source, port });
      const after = processCpu(pid);
      into.user.push(((after.user - before.user) / messages) * 1e6);
      into.system.push(((after.system - before.system) / messages) * 1e6);
      return rate;
    };
    try {
      const warmUp = { ...source, messages: messages / 2 };
      await smtpSourceRate(ctx.peers.smtpSource, { ...warmUp, port: sink.port });
      await smtpSourceRate(ctx.peers.smtpSource, { ...warmUp, port: mta.port });
      for (let i = 0; i < ctx.runs; i++) {
        const intoSink = await timed(sink.port, sink.child.pid, perMessage.sink);
        const intoMta = await timed(mta.port, mta.child.pid, perMessage.mta);
        theirs.push(intoSink);
        ours.push(intoMta);
        ratios.push(intoMta / intoSink);
        ctx.log(`  run ${i + 1}: fake MTA ${Math.round(intoMta)}/s, smtp-sink ${Math.round(intoSink)}/s`);
      }
    } finally {
      await Promise.all([sink.stop(), mta.stop()]);
    }
    const ratio = { unit: 'x', ...spread(ratios) };
    const met = ratio.min >= 0.6;
    const cpu = (side: { user: number[]; system: number[] }) => side.user.map((u, i) => u + (side.system[i] ?? 0));
    const kernel = (side: { user: number[]; system: number[] }) => side.system.map((k, i) => (100 * k) / (k + (side.user[i] ?? 0) || 1));
    return {
      figures: {
        'fake MTA': { unit: 'msg/s', ...spread(ours) },
        'smtp-sink': { unit: 'msg/s', ...spread(theirs) },
        'fake MTA CPU per message': { unit: 'µs', ...spread(cpu(perMessage.mta)) },
        'fake MTA CPU in the kernel': { unit: '%', ...spread(kernel(perMessage.mta)) },
        'smtp-sink CPU per message': { unit: 'µs', ...spread(cpu(perMessage.sink)) },
        'smtp-sink CPU in the kernel': { unit: '%', ...spread(kernel(perMessage.sink)) },
      },
      ratio,
      met,
      notes: [
        `smtp-source -s 20 -l 2048 -m ${messages} -f load@bench.test -t rcpt@bench.test, after ${messages / 2} untimed into each; the MTA delivers into a target that drops each delivery`,
        ...(met ? [] : [WHERE_THE_TIME_GOES]),
      ],
    };
  },
};
