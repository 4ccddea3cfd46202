// Builds one chart spec from a set of series lines of the same kind.
import type { SeriesLine } from '../../engine/metrics/types.ts';
import type { ChartGroup } from './metric-info.ts';
import { PERCENTILE_COLORS, type ChartDataset, type ChartPoint, type ChartSpec, type ColorBook } from './chart-spec.ts';
import { metricKey, tagLabel } from './metric-name.ts';

export function slug(text: string): string {
  return text.toLowerCase().replaceAll(/[^a-z0-9]+/g, '-').replaceAll(/^-|-$/g, '');
}

/**
 * Labels for the lines of one chart: the tags that tell them apart (flow first), prefixed
 * by the metric name when the chart mixes metrics.
 */
function lineLabels(lines: readonly SeriesLine[]): string[] {
  const mixed = new Set(lines.map((l) => l.metric)).size > 1;
  const keys = [...new Set(lines.flatMap((l) => Object.keys(l.tags)))];
  const varying = keys.filter((k) => new Set(lines.map((l) => l.tags[k] ?? '')).size > 1).sort((a, b) => (a === 'flow' ? -1 : b === 'flow' ? 1 : a.localeCompare(b)));
  return lines.map((line) => {
    const shown = varying.length ? varying : lines.length === 1 ? keys.sort((a, b) => (a === 'flow' ? -1 : b === 'flow' ? 1 : a.localeCompare(b))) : keys.includes('flow') ? ['flow'] : [];
    // k6 tags iterations with both scenario and flow; usually they are the same name
    const tags = shown.filter((k) => line.tags[k] !== undefined && !(k === 'scenario' && line.tags[k] === line.tags['flow'])).map((k) => (k === 'flow' ? line.tags[k] : `${k}=${line.tags[k]}`)).join(' ');
    if (!tags) return line.metric;
    return mixed ? `${line.metric} · ${tags}` : tags;
  });
}

function points(line: SeriesLine, map: (value: number) => number = (v) => v): ChartPoint[] {
  return line.points.map((p) => ({ x: p.t, y: map(p.value) }));
}

function cumulative(line: SeriesLine): ChartPoint[] {
  let sum = 0;
  return line.points.map((p) => ({ x: p.t, y: (sum += p.value) }));
}

/** A series that hit its point cap says where its line stops being complete. */
function truncation(lines: readonly SeriesLine[]): string {
  const at = lines.map((l) => l.truncatedAt).filter((t): t is number => t !== undefined);
  return at.length ? `Points after ${Math.min(...at)} s were not kept (series point cap).` : '';
}

export interface LinesChart {
  id: string;
  group: ChartGroup;
  title: string;
  note?: string;
  lines: SeriesLine[];
  colors: ColorBook;
}

/** Counters per second, gauges as levels, rates as percentages; counters can be summed up over time. */
export function linesChart(spec: LinesChart, mode: 'per_s' | 'level' | 'percent' | 'cumulative'): ChartSpec {
  const labels = lineLabels(spec.lines);
  const mixed = new Set(spec.lines.map((l) => l.metric)).size > 1;
  const datasets: ChartDataset[] = spec.lines.map((line, i) => ({
    label: labels[i] as string,
    color: spec.colors.color(mixed || Object.keys(line.tags).some((k) => k !== 'flow' && k !== 'scenario') ? metricKey(line.metric, line.tags) : tagLabel(line.tags)),
    data: mode === 'percent' ? points(line, (v) => v * 100) : mode === 'cumulative' && line.kind === 'counter' ? cumulative(line) : points(line),
    stepped: line.kind === 'gauge',
  }));
  const unit = mode === 'percent' ? 'percent' : mode === 'per_s' ? 'per_s' : 'count';
  const yLabel = mode === 'percent' ? '%' : mode === 'per_s' ? 'per second' : mode === 'cumulative' ? 'total so far' : 'count';
  const split = mode === 'percent' ? [] : splitByMagnitude(datasets);
  const right = split.length ? `${yLabel}: ${split.map((d) => d.label).join(', ')} (right axis)` : '';
  for (const d of split) d.axis = 'right';
  const note = [spec.note, right && `Lines ${MAGNITUDE}x larger than the others are drawn against the right-hand axis.`, truncation(spec.lines)].filter(Boolean).join(' ');
  return {
    id: spec.id, group: spec.group, title: spec.title, ...(note ? { note } : {}), kind: 'line', unit, yLabel, datasets, timeline: true,
    ...(right ? { y1Label: right, y1Unit: unit } : {}),
  };
}

/** Lines this many times larger than the rest would flatten them on a shared axis. */
const MAGNITUDE = 20;

/** The datasets to move to a second axis: those whose peak dwarfs every other line's (none when all are alike). */
function splitByMagnitude(datasets: readonly ChartDataset[]): ChartDataset[] {
  const peak = (d: ChartDataset) => Math.max(0, ...(d.data as ChartPoint[]).map((p) => Math.abs(p.y ?? 0)));
  const peaks = datasets.map(peak);
  const top = Math.max(0, ...peaks);
  const small = peaks.filter((p) => p > 0 && p * MAGNITUDE < top);
  if (small.length === 0) return [];
  const smallTop = Math.max(...small);
  return datasets.filter((_, i) => (peaks[i] as number) > smallTop * MAGNITUDE);
}

/** p50 / p95 / p99 of one trend line. */
export function percentileChart(line: SeriesLine, group: ChartGroup, unit: 'ms' | 'count'): ChartSpec {
  const key = metricKey(line.metric, line.tags);
  const pick = (field: 'p50' | 'p95' | 'p99'): ChartDataset => ({
    label: field,
    color: PERCENTILE_COLORS[field],
    data: line.points.map((p) => ({ x: p.t, y: p[field] ?? (field === 'p50' ? p.value : null) })),
  });
  return {
    id: `latency-${slug(key)}`,
    group,
    title: `${line.metric} · ${tagLabel(line.tags)}`,
    note: ['p50 is the typical user; p99 is the unlucky one in a hundred.', truncation([line])].filter(Boolean).join(' '),
    kind: 'line',
    unit,
    yLabel: unit === 'ms' ? 'time' : 'value',
    datasets: [pick('p50'), pick('p95'), pick('p99')],
    timeline: true,
  };
}
