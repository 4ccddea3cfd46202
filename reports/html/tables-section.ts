// The reference tables of a run: ledger reconciliation, parameters, figures, stack,
// errors, events, and how to reproduce it.
import type { LedgerFlowSummary, LedgerSummary } from '../../engine/ledger/types.ts';
import type { RunResult } from '../../harness/result-schema.ts';
import { escapeHtml } from './escape.ts';
import { formatNumber } from './format.ts';
import { formatDuration } from '../../engine/duration.ts';
import { num, table } from './table.ts';

const FLOW_COLUMNS = ['expected', 'delivered', 'queued', 'bounced', 'lost', 'duplicated', 'late'] as const;

function ledgerRow(name: string, row: LedgerFlowSummary, total = false) {
  return { className: row.lost > 0 ? 'fail' : '', cells: [total ? { html: `<strong>${escapeHtml(name)}</strong>` } : name, ...FLOW_COLUMNS.map((c) => num(row[c]))] };
}

/** Mailboxes a remote reconcile could not read: their mail is neither delivered nor lost. */
function unverifiedText(ledger: LedgerSummary): string {
  if (ledger.unverified === undefined) return '';
  const boxes = Object.entries(ledger.unverifiedMailboxes ?? {}).map(([m, why]) => `<code>${escapeHtml(m)}</code> (${escapeHtml(why)})`).join(', ');
  return ` Unverified (mailbox could not be read, neither delivered nor lost): ${formatNumber(ledger.unverified)}; mailboxes: ${boxes}.`;
}

export function ledgerSection(ledger: LedgerSummary | undefined): string {
  if (!ledger) return '<p class="muted">No ledger: this scenario does not account for individual messages.</p>';
  const rows = [...Object.entries(ledger.byFlow).map(([flow, row]) => ledgerRow(flow, row)), ledgerRow('total', ledger, true)];
  const samples = (['lost', 'duplicated', 'bounced'] as const)
    .filter((k) => ledger.samples[k].length)
    .map((k) => `<p class="small"><strong>${k}:</strong> ${ledger.samples[k].map((s) => `<code>${escapeHtml(s)}</code>`).join(', ')}</p>`)
    .join('');
  const bounces = Object.entries(ledger.bounceReasons);
  return `${table(['Flow', ...FLOW_COLUMNS.map((c) => num(c))], rows, 'ledger')}
<p class="small">${ledger.final ? 'Final reconciliation after the drain period: anything missing counts as lost.' : 'Not final: missing deliveries are still counted as queued.'} Delivered after the client saw the send fail: ${formatNumber(ledger.deliveredAfterFailure ?? 0)}. Unexpected arrivals: ${formatNumber(ledger.unexpected)}.${unverifiedText(ledger)}</p>
${bounces.length ? table(['Bounce reason', num('count')], bounces.map(([r, n]) => ({ cells: [r, num(n)] }))) : ''}
${samples}`;
}

function paramValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function paramsSection(result: RunResult): string {
  const rows = Object.entries(result.params).map(([k, v]) => ({ cells: [{ html: `<code>${escapeHtml(k)}</code>` }, { html: `<code>${escapeHtml(paramValue(v))}</code>` }] }));
  rows.unshift({ cells: [{ html: '<strong>scale factor</strong>' }, { html: `<code>${escapeHtml(result.scale.factor)}</code>` }] }, { cells: [{ html: '<strong>seed</strong>' }, { html: `<code>${escapeHtml(result.seed)}</code>` }] });
  return table(['Parameter', 'Value'], rows, 'kv params');
}

export function figuresSection(result: RunResult): string {
  const entries = Object.entries(result.figures);
  if (entries.length === 0) return '<p class="muted">No figures reported.</p>';
  return table(
    ['Figure', num('measured'), num('projected to the incident\'s size'), 'What it is and how it was projected'],
    entries.map(([name, f]) => ({
      cells: [name, num(f.text ?? `${formatNumber(f.value)}${f.unit ? ` ${f.unit}` : ''}`), num(f.projected === undefined ? '' : `${formatNumber(f.projected)}${f.unit ? ` ${f.unit}` : ''}`), f.note ?? ''],
    })),
    'figures',
  );
}

export function stackSection(result: RunResult): string {
  const { stack } = result;
  const rows = stack.components.map((c) => ({ cells: [c.name, c.version ?? '', c.image ?? '', c.digest ?? '', c.endpoint ?? ''] }));
  return `<p>Provider: <strong>${escapeHtml(stack.kind)}</strong></p>
${rows.length ? table(['Component', 'Version', 'Image', 'Digest', 'Endpoint'], rows, 'stack') : ''}
${stack.notes.map((n) => `<p class="small muted">${escapeHtml(n)}</p>`).join('')}`;
}

export function errorsSection(result: RunResult): string {
  if (result.errors.length === 0) return '<p class="muted">No iteration errors.</p>';
  return table(['Kind', num('count'), 'Sample'], result.errors.map((e) => ({ cells: [e.kind, num(e.count), { html: `<code>${escapeHtml(e.sample)}</code>` }] })), 'errors');
}

/** Chaos actions and run events merged in time order (the first 300, to keep the page light). */
export function eventsSection(result: RunResult): string {
  const rows = [
    ...result.chaos.map((c) => ({ t: c.t, what: `chaos ${c.action}`, detail: [c.target, c.toxic, c.type, c.attributes ? JSON.stringify(c.attributes) : ''].filter(Boolean).join(' ') })),
    // the chaos runner also logs each change as a "fault" event: list it once
    ...result.events.filter((e) => !(e.type === 'fault' && result.chaos.length > 0)).map(({ t, type, ...rest }) => ({ t, what: type, detail: Object.keys(rest).length ? JSON.stringify(rest) : '' })),
  ].sort((a, b) => a.t - b.t);
  if (rows.length === 0) return '<p class="muted">No chaos actions or events.</p>';
  const shown = rows.slice(0, 300);
  return `${table([num('at'), 'Event', 'Detail'], shown.map((r) => ({ cells: [num(formatDuration(r.t)), r.what, { html: `<code>${escapeHtml(r.detail)}</code>` }] })), 'events')}
${rows.length > shown.length ? `<p class="small muted">${rows.length - shown.length} more in result.json.</p>` : ''}`;
}

export function reproduceSection(result: RunResult): string {
  return `<p>mailstorm <strong>${escapeHtml(result.mailstormVersion)}</strong>, scenario file <code>${escapeHtml(result.scenario.file)}</code>, result schema v${escapeHtml(result.schemaVersion)}.</p>
<pre id="command">${escapeHtml(result.command)}</pre>
<p class="small muted">Run ${result.complete ? 'completed' : 'did not complete'}: ${escapeHtml(result.reason)}.</p>`;
}
