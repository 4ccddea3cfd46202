// Human formatting of metric values by unit.
import { formatDuration } from '../../engine/duration.ts';
import type { Unit } from './metric-info.ts';

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return value.toLocaleString('en-GB');
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 1 ? 2 : 4;
  return Number(value.toFixed(digits)).toLocaleString('en-GB', { maximumFractionDigits: digits });
}

export function formatValue(value: number | null | undefined, unit: Unit): string {
  if (value === null || value === undefined) return 'n/a';
  switch (unit) {
    case 'ms':
      return Math.abs(value) >= 1000 ? formatDuration(value) : `${Number(value.toFixed(Math.abs(value) < 10 ? 1 : 0))} ms`;
    case 's':
      return formatDuration(value * 1000);
    case 'ratio':
      return `${formatNumber(Number((value * 100).toFixed(3)))}%`;
    default:
      return formatNumber(value);
  }
}

/** The unit a statistic of a metric is in: counts stay counts, rates are ratios. */
export function statUnit(stat: string, metricUnit: Unit): Unit {
  if (stat === 'count' || stat === 'passes' || stat === 'fails') return 'count';
  if (stat === 'rate') return metricUnit === 'ratio' ? 'ratio' : 'count';
  return metricUnit;
}
