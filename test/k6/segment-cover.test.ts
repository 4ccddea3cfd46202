// Execution segments of the runners must cover 0..1 once, compared as exact fractions.
import test from 'ava';
import { checkCover, parseSegment } from '../../k6/segment-cover.ts';
import { segmentOf } from '../../k6/segments.ts';

const seg = (s: string, i = 0) => parseSegment(s, `r${i}.json`);

test('thirds, decimals, percentages and no segment at all cover the run', (t) => {
  t.notThrows(() => checkCover([1, 2, 3].map((i) => seg(segmentOf(i, 3), i))));
  t.notThrows(() => checkCover([seg('0.5:1'), seg('0:50%')]));
  t.notThrows(() => checkCover([seg('')]));
  t.is(seg('2/6:4/6').text, '1/3:2/3');
});

test('a gap names the missing segment, an overlap names both runners', (t) => {
  t.throws(() => checkCover([seg('0:1/3', 1), seg('2/3:1', 3)]), { message: 'the runner summaries do not cover the run: segment 1/3:2/3 is missing (no runner summary for it)' });
  t.throws(() => checkCover([seg('0:1/2', 1), seg('1/3:1', 2)]), { message: 'the runner summaries overlap: segment 1/3:1 (r2.json) overlaps 0:1/2 (r1.json); each part of the run must be counted once' });
  t.throws(() => seg('1/2:1/3'), { message: 'r0.json: execution segment "1/2:1/3" must satisfy 0 <= from < to <= 1' });
  t.throws(() => seg('a:1'), { message: 'r0.json: "a" is not a segment point (use a fraction 1/2, a decimal 0.5 or a percentage 50%)' });
});
