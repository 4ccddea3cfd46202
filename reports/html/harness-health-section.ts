// The harness-health panel: how the load generator itself fared over the measured window,
// so a red gate can be told from a starved generator; and its per-second chart.
import type { RunResult } from '../../harness/result-schema.ts';
import { RIG_LIMIT_MEANING } from '../rig-text.ts';
import { overloadSentence } from '../rig-text.ts';
import type { RigLimitName } from '../../harness/result-schema.ts';
import { escapeHtml } from './escape.ts';
import type { ChartSpec } from './chart-spec.ts';
import { chartCard } from './page.ts';

function limitText(limit: number | null): string {
  return limit === null ? 'none' : String(limit);
}

/** The rig's seconds: event-loop delay on the left, CPU used and CPU waited for on the right. */
function rigChart(rig: NonNullable<RunResult['rig']>): ChartSpec | undefined {
  if (rig.series.length < 2) return undefined;
  const line = (label: string, color: string, y: (s: (typeof rig.series)[number]) => number | undefined, axis: 'left' | 'right') => ({
    label, color, axis, data: rig.series.map((s) => ({ x: s.t, y: y(s) ?? null })),
  });
  const datasets = [
    line('event-loop delay p99', '#2563eb', (s) => s.eventLoopDelayP99Ms, 'left'),
    line('event-loop delay max', '#93c5fd', (s) => s.eventLoopDelayMaxMs, 'left'),
    line('CPU used', '#059669', (s) => s.harnessCpuShare * 100, 'right'),
  ];
  if (rig.series.some((s) => s.cpuWaitShare !== undefined)) datasets.push(line('CPU waited for', '#dc2626', (s) => s.cpuWaitShare === undefined ? undefined : s.cpuWaitShare * 100, 'right'));
  return {
    id: 'rig', group: 'harness', title: 'The harness, second by second', kind: 'line', unit: 'ms', yLabel: 'event-loop delay (ms)',
    y1Label: '% of one core / of wall time', y1Unit: 'percent', datasets, timeline: true,
    note: 'A delay or a CPU wait that climbs while the gates fail points at the generator, not the stack.',
  };
}

/** --workers: each thread's segment and how it fared, and what stayed on the main thread. */
function workersTable(rig: NonNullable<RunResult['rig']>): string {
  const w = rig.workers;
  if (!w) return '';
  const rows = w.threads.map((t) => `<tr${t.crashed ? ' class="fail"' : ''}><th scope="row">${escapeHtml(t.segment)}</th>`
    + (t.crashed ? `<td colspan="3">crashed: ${escapeHtml(t.crashed)}</td>` : `<td>${t.cpuShare}</td><td>${t.eventLoopDelayP99Ms} (max ${t.eventLoopDelayMaxMs})</td><td>${t.iterations}</td>`) + '</tr>');
  const main = w.mainThread.map((m) => `<li>${escapeHtml(m.scenario)}: ${escapeHtml(m.why)}</li>`).join('');
  return `<h3>Worker threads: ${w.threads.length} of ${w.requested} ran executors</h3>
<div class="table-wrap"><table><thead><tr><th>execution segment</th><th>CPU, share of a core</th><th>event-loop delay p99 (ms)</th><th>iterations started</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>
${main ? `<p>On the main thread:</p><ul>${main}</ul>` : ''}`;
}

export function harnessHealthSection(result: RunResult): { html: string; charts: ChartSpec[] } {
  const rig = result.rig;
  if (!rig) return { html: '', charts: [] };
  const chart = rigChart(rig);
  const f = rig.figures;
  const rows: string[] = [
    `<tr><th scope="row">measured window</th><td>${(f.windowMs / 1000).toFixed(1)} s</td><td></td><td></td></tr>`,
    `<tr><th scope="row">event-loop delay, max (ms)</th><td>${f.eventLoopDelayMaxMs}</td><td></td><td></td></tr>`,
    `<tr><th scope="row">time in garbage-collection pauses (ms)</th><td>${f.gcPauseMs}</td><td></td><td></td></tr>`,
  ];
  for (const [name, limit] of Object.entries(rig.limits) as [RigLimitName, number | null][]) {
    const observed = f[name];
    const breached = rig.breaches.some((b) => b.figure === name);
    rows.push(`<tr${breached ? ' class="fail"' : ''}><th scope="row">${escapeHtml(RIG_LIMIT_MEANING[name])}</th><td>${observed === undefined ? 'not measured' : observed}</td>`
      + `<td>${limitText(limit)}</td><td>${observed === undefined ? '' : breached ? '✗ over the limit' : '✓'}</td></tr>`);
  }
  const verdict = rig.overloaded
    ? `<p class="verdict-line"><strong>${escapeHtml(overloadSentence(rig))}</strong></p>`
    : `<p>${escapeHtml(rig.notJudged ? `The rig was not judged: ${rig.notJudged}.` : 'The harness kept up: every rig figure stayed within its limit, so the gates judge the stack.')}</p>`;
  const html = `<section id="harness-health"><h2>Harness health</h2>${verdict}
<div class="two-col"><div class="table-wrap"><table><thead><tr><th>figure</th><th>observed</th><th>limit</th><th></th></tr></thead><tbody>${rows.join('')}</tbody></table></div>
${chart ? chartCard(chart) : ''}</div>${workersTable(rig)}</section>`;
  return { html, charts: chart ? [chart] : [] };
}
