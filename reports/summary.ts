// The k6-like end-of-run summary on the terminal: gates with ✓/✗, key metrics, the
// ledger, and where the files went.
import { readdir } from 'node:fs/promises';
import { formatDuration } from '../engine/duration.ts';
import type { MetricSummary } from '../engine/metrics/types.ts';
import type { Reporter } from '../harness/reporter.ts';
import type { RunResult } from '../harness/result-schema.ts';
import { gateFailureMessage } from './junit.ts';
import { breachList, overloadSentence, rigLines } from './rig-text.ts';

function num(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '-';
  if (Number.isInteger(n)) return String(n);
  return Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(2);
}

function tagText(m: MetricSummary): string {
  const tags = Object.entries(m.tags);
  return tags.length ? `{${tags.map(([k, v]) => `${k}:${v}`).join(',')}}` : '';
}

function metricLine(m: MetricSummary): string {
  const v = m.values;
  const name = `${m.name}${tagText(m)}`.padEnd(44, '.');
  switch (m.kind) {
    case 'trend':
      return `${name} avg=${num(v['avg'])} med=${num(v['med'])} p(95)=${num(v['p(95)'])} p(99)=${num(v['p(99)'])} max=${num(v['max'])} n=${num(v['count'])}`;
    case 'rate':
      return `${name} ${num((v['rate'] ?? 0) * 100)}%  ✓ ${num(v['passes'])}  ✗ ${num(v['fails'])}`;
    case 'counter':
      return `${name} ${num(v['count'])}  ${num(v['rate'])}/s`;
    default:
      return `${name} ${num(v['value'])}  min=${num(v['min'])} max=${num(v['max'])}`;
  }
}

const VERDICT_LINE = { pass: '✓ PASS', fail: '✗ FAIL', inconclusive: '? INCONCLUSIVE', error: '✗ ERROR' } as const;

export function formatSummary(result: RunResult, files: readonly string[] = [], outDir?: string): string {
  const lines: string[] = [];
  const state = result.complete ? 'complete' : `INCOMPLETE: ${result.reason}`;
  lines.push('', `  scenario: ${result.scenario.name}   run: ${result.runId}`);
  lines.push(`  stack: ${result.stack.kind}   seed: ${result.seed}   scale: ${result.scale.factor}   duration: ${formatDuration(result.durationMs)}   ${state}`);
  lines.push('', '  gates');
  if (result.gates.length === 0) lines.push('    (none)');
  for (const g of result.gates) {
    if (g.notEvaluated !== undefined) {
      const sofar = g.observed === null ? 'no samples' : `observed ${num(g.observed)} so far`;
      lines.push(`    – ${g.metric}: ${g.expression}  not evaluated (${sofar}; ${g.notEvaluated})`);
      continue;
    }
    const mark = g.ok ? '✓' : result.verdict === 'inconclusive' ? '?' : '✗';
    const observed = g.observed === null ? 'no samples' : `observed ${num(g.observed)}`;
    lines.push(`    ${mark} ${g.metric}: ${g.expression}  ${g.ok ? observed : gateFailureMessage(g)}`);
  }
  const metrics = [...result.metrics].sort((a, b) => a.name.localeCompare(b.name) || tagText(a).localeCompare(tagText(b)));
  if (metrics.length) {
    lines.push('', '  metrics');
    for (const m of metrics.slice(0, 60)) lines.push(`    ${metricLine(m)}`);
    if (metrics.length > 60) lines.push(`    ... ${metrics.length - 60} more in result.json`);
  }
  const figures = Object.entries(result.figures);
  if (figures.length) {
    lines.push('', '  figures');
    for (const [name, f] of figures.slice(0, 30)) {
      const projected = f.projected === undefined ? '' : `  (projected ${num(f.projected)})`;
      lines.push(`    ${name}: ${f.text ?? `${num(f.value)}${f.unit ? ` ${f.unit}` : ''}`}${projected}`);
    }
  }
  if (result.ledger) {
    const l = result.ledger;
    lines.push('', '  ledger');
    lines.push(`    expected ${l.expected}  delivered ${l.delivered}  lost ${l.lost}  duplicated ${l.duplicated}  bounced ${l.bounced}  queued ${l.queued}  late ${l.late}  delivered after failure ${l.deliveredAfterFailure ?? 0}  unexpected ${l.unexpected}${l.unverified !== undefined ? `  unverified ${l.unverified}` : ''}`);
    if (l.unverifiedMailboxes) lines.push(`    unverified (mailbox not readable, neither delivered nor lost): ${Object.entries(l.unverifiedMailboxes).map(([m, why]) => `${m}: ${why}`).join('; ')}`);
  }
  if (result.rig) lines.push('', ...rigLines(result.rig));
  if (result.errors.length) {
    lines.push('', '  iteration errors');
    for (const e of result.errors.slice(0, 10)) lines.push(`    ${e.kind} x${e.count}: ${e.sample}`);
  }
  lines.push('', `  ${VERDICT_LINE[result.verdict]}`);
  if (result.verdict === 'inconclusive') lines.push(`  ${result.rig ? overloadSentence(result.rig) : 'No gate could be judged (each one says why above).'}`);
  const unjudged = result.gates.filter((g) => g.notEvaluated !== undefined).length;
  if (result.verdict === 'pass' && unjudged) lines.push(`  ${unjudged} of ${result.gates.length} gates were not evaluated (each says why above); the pass covers the other ${result.gates.length - unjudged} only.`);
  if (outDir) lines.push(`  results in ${outDir}${files.length ? `: ${files.join(', ')}` : ''}`);
  lines.push('');
  return lines.join('\n');
}

async function listFiles(outDir: string): Promise<string[]> {
  try {
    return (await readdir(outDir)).sort();
  } catch {
    return [];
  }
}

export function summaryReporter(options: { stream: NodeJS.WritableStream; brief?: boolean }): Reporter {
  return {
    onBegin() {},
    async onEnd(result, outDir) {
      if (options.brief) {
        const overloaded = result.verdict === 'inconclusive' ? ` (harness overloaded: ${breachList(result.rig)})` : '';
        options.stream.write(`${result.scenario.name}: ${result.verdict}${overloaded}${result.complete ? '' : ` (incomplete: ${result.reason})`} -> ${outDir}\n`);
        return;
      }
      options.stream.write(formatSummary(result, await listFiles(outDir), outDir));
    },
  };
}
