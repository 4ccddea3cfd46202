// Key figures under the verdict: latency percentiles of every trend and the ledger in one line.
import type { RunResult } from '../../harness/result-schema.ts';
import { escapeHtml } from './escape.ts';
import { formatNumber, formatValue } from './format.ts';
import { metricKey } from './metric-name.ts';
import { describeMetric } from './metric-info.ts';
import { num, table } from './table.ts';

export function keyFiguresSection(result: RunResult): string {
  const trends = result.metrics.filter((m) => m.kind === 'trend');
  const latency = trends.length
    ? table(['Trend', num('samples'), num('p50'), num('p95'), num('p99'), num('max')], trends.map((m) => {
      const unit = describeMetric(m.name, m.kind, result.metricDeclarations).unit;
      return { cells: [{ html: `<code>${escapeHtml(metricKey(m.name, m.tags))}</code>` }, num(formatNumber(m.values['count'] ?? 0)), ...['med', 'p(95)', 'p(99)', 'max'].map((s) => num(formatValue(m.values[s], unit)))] };
    }), 'key-figures')
    : '';
  const l = result.ledger;
  const ledger = l
    ? `<p class="ledger-line"><strong>Ledger:</strong> ${(['expected', 'delivered', 'queued', 'bounced', 'lost', 'duplicated', 'late'] as const)
      .map((k) => `<span class="${k === 'lost' && l.lost > 0 ? 'bad' : ''}">${formatNumber(l[k])} ${k}</span>`).join(' · ')}${l.final ? '' : ' (not final)'}</p>`
    : '';
  if (!latency && !ledger) return '';
  return `<section id="key-figures"><h2>Key figures</h2>${ledger}${latency}</section>`;
}
