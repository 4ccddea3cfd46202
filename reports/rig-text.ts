// How every report says what the rig did: the figures in words, the one sentence of an
// overloaded rig, and the terminal summary's "harness (rig)" block.
import type { RigBreach, RigLimitName, RigRecord } from '../harness/result-schema.ts';

/** Plain words for each rig figure. */
export const RIG_LIMIT_MEANING: Readonly<Record<RigLimitName, string>> = Object.freeze({
  eventLoopDelayP99Ms: 'event-loop delay, p99 (ms)',
  harnessCpuShare: 'CPU used by the harness, share of one core',
  cpuWaitShare: 'time the harness waited for a CPU held by other work, share of wall time',
  gcShare: 'time in garbage-collection pauses, share of wall time',
  scheduleLagP95Ms: 'how late arrival-rate iterations started, p95 (ms)',
  replayLagP95Ms: 'how far a time-compressed replay ran behind its schedule, p95 (ms)',
  droppedIterations: 'iterations dropped for want of a free VU (no limit by default: a slow stack drops them too)',
  harnessResourceErrors: 'connections that failed because this machine ran out of file descriptors, ports or buffers (raise ulimit -n)',
  fakeMtaShortfallShare: 'deliveries the embedded MTA owed at its configured rate but could not make for want of CPU, share',
});

/** "cpuWaitShare 0.57 > 0.25, eventLoopDelayP99Ms 1840 > 1000": the breaches in a line. */
export function breachList(rig: RigRecord | undefined): string {
  return rig?.breaches.map((b) => `${b.figure} ${b.observed} > ${b.limit}`).join(', ') || 'rig overloaded';
}

/** "event-loop delay, p99 (ms) was 1840 (limit 1000)" */
export function breachText(b: RigBreach): string {
  return `${RIG_LIMIT_MEANING[b.figure]} was ${b.observed} (limit ${b.limit})`;
}

/** The one sentence a summary and a report say about an overloaded rig. */
export function overloadSentence(rig: RigRecord): string {
  return `The harness could not keep up, so the stack was not judged: ${rig.breaches.map(breachText).join('; ')}. `
    + 'Run it again with fewer VUs or a smaller --scale, a lower time compression, on a bigger or quieter machine, '
    + 'or raise the limit with --rig-limit if this load is what you meant.';
}


export function rigLines(rig: RigRecord): string[] {
  const f = rig.figures;
  const state = rig.notJudged ? `not judged: ${rig.notJudged}` : rig.overloaded ? 'OVERLOADED' : 'kept up';
  const lines = [`  harness (rig): ${state}; window ${(f.windowMs / 1000).toFixed(1)} s, event-loop delay max ${f.eventLoopDelayMaxMs} ms, GC ${f.gcPauseMs} ms`];
  for (const [name, limit] of Object.entries(rig.limits) as [RigLimitName, number | null][]) {
    const observed = f[name];
    if (observed === undefined) continue;
    const over = rig.breaches.some((b) => b.figure === name);
    lines.push(`    ${over ? '✗' : '✓'} ${RIG_LIMIT_MEANING[name]}: ${observed}${limit === null ? '' : ` (limit ${limit})`}`);
  }
  return [...lines, ...workerLines(rig)];
}

/** One line per worker thread of --workers, and what stayed on the main thread. */
export function workerLines(rig: RigRecord): string[] {
  const w = rig.workers;
  if (!w) return [];
  const lines = [`  workers: ${w.threads.length} of ${w.requested} threads ran executors`];
  for (const t of w.threads) {
    const state = t.crashed ? `CRASHED (${t.crashed})` : `CPU ${t.cpuShare} of a core, event-loop delay p99 ${t.eventLoopDelayP99Ms} ms (max ${t.eventLoopDelayMaxMs} ms)`;
    lines.push(`    segment ${t.segment}: ${state}, ${t.iterations} iterations`);
  }
  for (const m of w.mainThread) lines.push(`    main thread: ${m.scenario} (${m.why})`);
  return lines;
}
