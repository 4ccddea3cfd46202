// The harness-health panel: how the load generator itself fared (rig figures), so a red
// gate can be told from a starved generator. It renders nothing until result.json carries
// `rig`; the rig's schema belongs to the run, so it is read here only as unknown data.
import type { RunResult } from '../../harness/result-schema.ts';
import { escapeHtml } from './escape.ts';

export function harnessHealthSection(result: RunResult): string {
  const rig = (result as RunResult & { rig?: unknown }).rig;
  if (rig === undefined || rig === null || typeof rig !== 'object') return '';
  const rows = Object.entries(rig as Record<string, unknown>)
    .filter(([, v]) => typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean')
    .map(([k, v]) => `<tr><th scope="row">${escapeHtml(k.replaceAll('_', ' '))}</th><td>${escapeHtml(String(v))}</td></tr>`);
  if (rows.length === 0) return '';
  return `<section id="harness-health"><h2>Harness health</h2><div class="table-wrap"><table>${rows.join('')}</table></div></section>`;
}
