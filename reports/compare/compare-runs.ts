// Row-by-row comparison of two runs of the same scenario under the regression rules.
import type { MetricSummary } from '../../engine/metrics/types.ts';
import type { RunResult } from '../../harness/result-schema.ts';
import { formatNumber, formatValue } from '../html/format.ts';
import { metricKey, parseExpression } from '../html/metric-name.ts';
import { describeMetric, type Declarations } from '../html/metric-info.ts';
import { formatObserved, gateUnit } from '../html/verdict-section.ts';
import type { CompareRow, RowVerdict } from './compare-types.ts';
import type { RegressionRules } from './rules.ts';

const LATENCY_STATS = ['med', 'p(95)', 'p(99)'] as const;

function signed(text: string, delta: number): string {
  return delta > 0 ? `+${text}` : delta < 0 ? `-${text}` : '0';
}

function ignored(rules: RegressionRules, metric: MetricSummary | { name: string; tags: Record<string, string> }): boolean {
  return rules.ignore.includes(metric.name) || rules.ignore.includes(metricKey(metric.name, metric.tags));
}

/** A side's metric declarations; a result written before they existed borrows the other side's. */
function declarationsOf(side: RunResult, other: RunResult): Declarations | undefined {
  return side.metricDeclarations ?? other.metricDeclarations;
}

function moved(worse: boolean, delta: number): RowVerdict {
  return delta === 0 ? 'same' : worse ? 'worse' : 'better';
}

/** Whether a move of the observed value goes toward the gate's limit ("<" limits: up is worse). */
function towardLimit(expression: string, delta: number): boolean {
  const op = parseExpression(expression)?.op ?? '';
  return op.startsWith('<') ? delta > 0 : op.startsWith('>') ? delta < 0 : delta !== 0;
}

function runRows(b: RunResult, c: RunResult): CompareRow[] {
  const broke = b.verdict !== 'error' && c.verdict === 'error';
  const stopped = b.complete && !c.complete;
  const verdict: RowVerdict = broke || stopped ? 'regression' : b.verdict === c.verdict ? 'same' : c.verdict === 'pass' ? 'better' : 'worse';
  return [{
    section: 'run', item: 'run verdict',
    baseline: `${b.verdict}${b.complete ? '' : ' (incomplete)'}`, candidate: `${c.verdict}${c.complete ? '' : ` (incomplete: ${c.reason})`}`,
    delta: '', verdict, ...(broke ? { rule: 'the run now breaks' } : stopped ? { rule: 'the run no longer completes' } : {}),
  }];
}

/** The versions each side ran (Postfix, Dovecot, Debian release...): what the upgrade changed. */
function stackRows(b: RunResult, c: RunResult): CompareRow[] {
  const version = (r: RunResult) => new Map((r.stack?.components ?? []).filter((x) => x.version !== undefined).map((x) => [x.name, x.version as string]));
  const [bv, cv] = [version(b), version(c)];
  const names = [...new Set([...bv.keys(), ...cv.keys()])];
  return names.map((name) => {
    const [base, cand] = [bv.get(name), cv.get(name)];
    const verdict: RowVerdict = base === undefined ? 'new' : cand === undefined ? 'missing' : base === cand ? 'same' : 'changed';
    return { section: 'stack', item: `${name} version`, baseline: base ?? 'absent', candidate: cand ?? 'absent', delta: '', verdict };
  });
}

function gateRows(b: RunResult, c: RunResult, rules: RegressionRules): CompareRow[] {
  const rows: CompareRow[] = [];
  const key = (g: { metric: string; expression: string }) => `${g.metric} ${g.expression}`;
  const cand = new Map(c.gates.map((g) => [key(g), g]));
  for (const bg of b.gates) {
    if (rules.ignore.includes(bg.metric)) continue;
    const cg = cand.get(key(bg));
    cand.delete(key(bg));
    const delta = cg && bg.observed !== null && cg.observed !== null ? cg.observed - bg.observed : undefined;
    const base = `${bg.ok ? 'pass' : 'FAIL'} ${formatObserved(bg, declarationsOf(b, c))}`;
    if (!cg) {
      rows.push({ section: 'gate', item: key(bg), baseline: base, candidate: 'not evaluated', delta: '', verdict: 'missing' });
      continue;
    }
    const verdict: RowVerdict = bg.ok && !cg.ok ? 'regression' : !bg.ok && cg.ok ? 'fixed' : !bg.ok ? 'still-failing' : moved(towardLimit(bg.expression, delta ?? 0), delta ?? 0);
    rows.push({
      section: 'gate', item: key(bg), baseline: base, candidate: `${cg.ok ? 'pass' : 'FAIL'} ${formatObserved(cg, declarationsOf(c, b))}`,
      delta: delta === undefined ? '' : signed(formatValue(Math.abs(delta), gateUnit(bg, declarationsOf(b, c))), delta), verdict,
      ...(verdict === 'regression' ? { rule: 'gate passed and now fails' } : {}),
    });
  }
  for (const cg of cand.values()) {
    rows.push({ section: 'gate', item: key(cg), baseline: 'not evaluated', candidate: `${cg.ok ? 'pass' : 'FAIL'} ${formatObserved(cg, declarationsOf(c, b))}`, delta: '', verdict: 'new' });
  }
  return rows;
}

function metricRows(b: RunResult, c: RunResult, rules: RegressionRules): CompareRow[] {
  const rows: CompareRow[] = [];
  const cand = new Map(c.metrics.map((m) => [metricKey(m.name, m.tags), m]));
  for (const bm of b.metrics) {
    const cm = cand.get(metricKey(bm.name, bm.tags));
    if (!cm || cm.kind !== bm.kind || ignored(rules, bm)) continue;
    const item = metricKey(bm.name, bm.tags);
    const info = describeMetric(bm.name, bm.kind, declarationsOf(b, c));
    if (bm.kind === 'trend') {
      for (const stat of LATENCY_STATS) {
        const bv = bm.values[stat];
        const cv = cm.values[stat];
        if (bv === undefined || cv === undefined) continue;
        const delta = cv - bv;
        const relative = bv === 0 ? (cv === 0 ? 0 : Infinity) : delta / bv;
        const regression = relative > rules.latencyTolerance && delta > rules.latencyMinDeltaMs;
        const pct = Number.isFinite(relative) && delta !== 0 ? ` (${relative >= 0 ? '+' : ''}${formatNumber(Number((relative * 100).toFixed(1)))}%)` : '';
        rows.push({
          section: 'latency', item: `${item} ${stat === 'med' ? 'p(50)' : stat}`, baseline: formatValue(bv, info.unit), candidate: formatValue(cv, info.unit),
          delta: `${signed(formatValue(Math.abs(delta), info.unit), delta)}${pct}`,
          verdict: regression ? 'regression' : moved(delta > 0, delta),
          ...(regression ? { rule: `worse by more than ${formatNumber(rules.latencyTolerance * 100)}%` } : {}),
        });
      }
    } else if (bm.kind === 'rate') {
      const bv = bm.values['rate'];
      const cv = cm.values['rate'];
      if (bv === undefined || cv === undefined) continue;
      const points = (cv - bv) * 100;
      const worseBy = info.higherIsWorse ? points : -points;
      const regression = worseBy > rules.rateTolerancePoints + 1e-9;
      rows.push({
        section: 'rate', item, baseline: formatValue(bv, 'ratio'), candidate: formatValue(cv, 'ratio'),
        delta: `${signed(formatNumber(Number(Math.abs(points).toFixed(3))), points)} pp`,
        verdict: regression ? 'regression' : moved(worseBy > 0, points),
        ...(regression ? { rule: `worse by more than ${rules.rateTolerancePoints} pp` } : {}),
      });
    } else if (bm.kind === 'gauge' && bm.values['max'] !== undefined && cm.values['max'] !== undefined) {
      const delta = cm.values['max'] - bm.values['max'];
      rows.push({ section: 'gauge', item: `${item} max`, baseline: formatNumber(bm.values['max']), candidate: formatNumber(cm.values['max']), delta: signed(formatNumber(Math.abs(delta)), delta), verdict: moved(info.higherIsWorse === delta > 0, delta) });
    }
  }
  return rows;
}

function ledgerRows(b: RunResult, c: RunResult, rules: RegressionRules): CompareRow[] {
  if (!b.ledger || !c.ledger) return [];
  const rows: CompareRow[] = [];
  for (const field of ['delivered', 'bounced', 'lost', 'duplicated'] as const) {
    const bv = b.ledger[field];
    const cv = c.ledger[field];
    const delta = cv - bv;
    const regression = field === 'lost' && delta > rules.lostTolerance;
    const worse = field === 'delivered' ? delta < 0 : delta > 0;
    rows.push({
      section: 'ledger', item: `messages ${field}`, baseline: formatNumber(bv), candidate: formatNumber(cv), delta: signed(formatNumber(Math.abs(delta)), delta),
      verdict: regression ? 'regression' : moved(worse, delta),
      ...(regression ? { rule: rules.lostTolerance ? `more than ${rules.lostTolerance} new lost messages` : 'a new lost message' } : {}),
    });
  }
  return rows;
}

export function compareRuns(b: RunResult, c: RunResult, rules: RegressionRules): CompareRow[] {
  return [...runRows(b, c), ...stackRows(b, c), ...gateRows(b, c, rules), ...ledgerRows(b, c, rules), ...metricRows(b, c, rules)];
}
