// The ledger's final account per flow as a stacked bar: where every expected delivery ended up.
import type { LedgerSummary } from '../../engine/ledger/types.ts';
import type { ChartSpec } from './chart-spec.ts';

const OUTCOMES = [
  { key: 'delivered', label: 'delivered', color: '#059669' },
  { key: 'queued', label: 'queued', color: '#2563eb' },
  { key: 'bounced', label: 'bounced', color: '#d97706' },
  { key: 'lost', label: 'lost', color: '#dc2626' },
  { key: 'duplicated', label: 'duplicated', color: '#7c3aed' },
] as const;

export function ledgerChart(ledger: LedgerSummary): ChartSpec {
  const flows = Object.keys(ledger.byFlow);
  const labels = flows.length ? flows : ['all'];
  const rows = flows.length ? flows.map((f) => ledger.byFlow[f]!) : [ledger];
  return {
    id: 'ledger',
    group: 'delivery',
    title: 'Where every expected delivery ended up',
    note: 'Lost means accepted by the stack and never delivered nor bounced.',
    kind: 'bar',
    unit: 'count',
    yLabel: 'deliveries',
    labels,
    stacked: true,
    timeline: false,
    datasets: OUTCOMES.map((o) => ({ label: o.label, color: o.color, data: rows.map((r) => r[o.key]) })),
  };
}
