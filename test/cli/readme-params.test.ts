import test from 'ava';
import { readFile } from 'node:fs/promises';
import { loadAllBuiltIns } from '../../scenarios/index.ts';
import { paramsMarkdown } from '../../cli/params-markdown.ts';

test('the README lists every replay parameter with its current default (mailstorm list --markdown)', async (t) => {
  const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
  const block = /<!-- params:begin -->\n([\s\S]*?)<!-- params:end -->/.exec(readme)?.[1];
  if (block === undefined) return t.fail('README has no params:begin/params:end block');
  const { scenarios, failures } = await loadAllBuiltIns();
  t.deepEqual(failures, []);
  t.is(block, paramsMarkdown(scenarios), 'README is out of date: paste `mailstorm list --markdown` between the markers');
});
