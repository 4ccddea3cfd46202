import test from 'ava';
import { splitShortLines, seriesTiles } from '../../reports/html/short-series.ts';
import type { ChartSpec } from '../../reports/html/chart-spec.ts';

const chart = (id: string, lengths: number[]): ChartSpec => ({
  id, group: 'other', title: id, kind: 'line', unit: 'count', yLabel: 'count', timeline: true,
  datasets: lengths.map((n, i) => ({ label: `line ${i}`, color: '#000', data: Array.from({ length: n }, (_, t) => ({ x: t, y: t * 10 + 7 })) })),
});

test('a line under three points becomes a tile with its last value; a chart left empty is dropped', (t) => {
  const { charts, tiles } = splitShortLines([chart('drain', [1]), chart('mixed', [120, 2]), chart('full', [3])]);
  t.deepEqual(charts.map((c) => [c.id, c.datasets.length]), [['mixed', 1], ['full', 1]]);
  t.deepEqual(tiles, [{ chart: 'drain', label: 'line 0', value: 7 }, { chart: 'mixed', label: 'line 1', value: 17 }]);
  t.regex(seriesTiles(tiles), /drain · line 0<\/span><b>7<\/b>/);
});
