// The harness-health panel: how the load generator itself fared over the measured window,
// so a red gate can be told from a starved generator; and its per-second chart.
import type { RunResult } from '../../harness/result-schema.ts';
import { RIG_LIMIT_MEANING } from '../rig-text.ts';
import { breachText, overloadSentence } from '../rig-text.ts';
import type { RigLimitName } from '../../harness/result-schema.ts';
import { escapeHtml } from './escape.ts';

function limitText(limit: number): string {
  return Number.isFinite(limit) ? String(limit) : 'none';
}

export function harnessHealthSection(result: RunResult): string {
  const rig = result.rig;
  if (!rig) return '';
  const f = rig.figures;
  const rows: string[] = [
    `<tr><th scope="row">measured window</th><td>${(f.windowMs / 1000).toFixed(1)} s</td><td></td><td></td></tr>`,
    `<tr><th scope="row">event-loop delay, max (ms)</th><td>${f.eventLoopDelayMaxMs}</td><td></td><td></td></tr>`,
    `<tr><th scope="row">time in garbage-collection pauses (ms)</th><td>${f.gcPauseMs}</td><td></td><td></td></tr>`,
  ];
  for (const [name, limit] of Object.entries(rig.limits) as [RigLimitName, number][]) {
    const observed = f[name];
    const breached = rig.breaches.some((b) => b.figure === name);
    rows.push(`<tr${breached ? ' class="fail"' : ''}><th scope="row">${escapeHtml(RIG_LIMIT_MEANING[name])}</th><td>${observed === undefined ? 'not measured' : observed}</td>`
      + `<td>${limitText(limit)}</td><td>${observed === undefined ? '' : breached ? '✗ over the limit' : '✓'}</td></tr>`);
  }
  const verdict = rig.overloaded
    ? `<p class="verdict-line"><strong>${escapeHtml(overloadSentence(rig))}</strong></p>`
    : `<p>${escapeHtml(rig.notJudged ? `The rig was not judged: ${rig.notJudged}.` : 'The harness kept up: every rig figure stayed within its limit, so the gates judge the stack.')}</p>`;
  const breaches = rig.breaches.length ? `<ul>${rig.breaches.map((b) => `<li>${escapeHtml(breachText(b))}</li>`).join('')}</ul>` : '';
  return `<section id="harness-health"><h2>Harness health</h2>${verdict}${breaches}
<div class="table-wrap"><table><thead><tr><th>figure</th><th>observed</th><th>limit</th><th></th></tr></thead><tbody>${rows.join('')}</tbody></table></div></section>`;
}
