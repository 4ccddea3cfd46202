// The table `npm run bench` prints: one block per benchmark, median [min - max] per figure.
import type { CpuUse } from './cpu.ts';
import type { BenchResult, Figure } from './types.ts';

function num(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 100) return Math.round(n).toLocaleString('en-GB');
  if (Math.abs(n) >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

export function formatFigure(f: Figure): string {
  return f.runs.length > 1 ? `${num(f.median)} ${f.unit} [${num(f.min)} - ${num(f.max)}]` : `${num(f.median)} ${f.unit}`;
}

/** "cores: 2; CPU in cores busy on average: pipeline-sender (mailstorm) 0.98 over 12.1 s, ..." */
export function cpuLine(cpu: { coresAvailable: number; processes: readonly CpuUse[] }): string {
  const used = cpu.processes
    .filter((p) => p.cpuSeconds > 0)
    .map((p) => `${p.process}${p.mailstorm ? ' (mailstorm)' : ''} ${p.cores.toFixed(2)} over ${p.wallSeconds.toFixed(1)} s`);
  return `cores: ${cpu.coresAvailable}; CPU, in cores busy on average: ${used.join(', ') || 'not measured'}`;
}

export function formatTable(results: readonly BenchResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    const verdict = r.met === null ? (r.skipped ? 'skipped' : 'n/a') : r.met ? 'goal met: yes' : 'goal met: NO';
    lines.push(`${r.id}. ${r.title}  (goal ${r.goal})  ${verdict}`);
    if (r.skipped) lines.push(`     skipped: ${r.skipped}`);
    for (const [name, figure] of Object.entries(r.figures)) lines.push(`     ${name.padEnd(48)} ${formatFigure(figure)}`);
    if (r.ratio) lines.push(`     ${'ratio'.padEnd(48)} ${formatFigure(r.ratio)}`);
    for (const note of r.notes ?? []) lines.push(`       - ${note}`);
    if (r.loadAverage) lines.push(`       - load average at start: ${r.loadAverage.join(' / ')}`);
    if (r.cpu) lines.push(`       - ${cpuLine(r.cpu)}`);
  }
  return lines.join('\n');
}
