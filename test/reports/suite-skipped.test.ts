// A suite run against a platform someone else runs skips the replays that need mailstorm to own
// part of it; the recap, summary.md and index.html name each one with why, and the acceptance
// suite says which those are.
import test from 'ava';
import { renderSuiteMarkdown } from '../../reports/markdown/index.ts';
import { renderSuiteIndex } from '../../reports/html/suite-index.ts';
import { suiteRecap } from '../../reports/suite-recap.ts';
import { findSuite } from '../../scenarios/suites.ts';
import { loadRun, loadSuite } from './fixtures.ts';

test('the acceptance suite runs smoke and the reply-all storm remotely and names why the other four cannot', (t) => {
  const acceptance = findSuite('acceptance')!;
  t.deepEqual(acceptance.entries.filter((e) => e.notRemote === undefined).map((e) => e.scenario), ['smoke', 'reply-all-storm']);
  t.deepEqual(acceptance.entries.filter((e) => e.notRemote !== undefined).map((e) => e.scenario), ['mass-lockout', 'weekend-migration', 'leak-failover', 'cutover']);
  t.regex(acceptance.entries.find((e) => e.scenario === 'cutover')?.notRemote ?? '', /both platforms .* front end/);
  // on the other suites nothing is marked: they are for stacks mailstorm runs
  t.is(findSuite('pre-upgrade')!.entries.filter((e) => e.notRemote !== undefined).length, 0);
});

test('skipped entries appear in the recap, summary.md and index.html with their reason', (t) => {
  const suite = { ...loadSuite('suite-pre-upgrade'), skipped: [{ scenario: 'mass-lockout', reason: 'needs mailstorm\'s own directory' }] };
  const results = [loadRun('storm-failed'), loadRun('migration')];
  const recap = suiteRecap('acceptance', suite, results, suite.runs.length, '/tmp/x');
  t.regex(recap, /\n {2}mass-lockout +skipped +not run on this stack: needs mailstorm's own directory\n/);
  t.regex(recap, new RegExp(`of ${suite.runs.length}; 1 skipped on this stack\\) -> /tmp/x`));
  t.true(renderSuiteMarkdown(suite, results).includes('Not run on this stack:\n\n- mass-lockout: needs mailstorm\'s own directory\n'));
  t.regex(renderSuiteIndex(suite, results), /<h2>Not run on this stack<\/h2>.*mass-lockout.*needs mailstorm&#39;s own directory|<h2>Not run on this stack<\/h2>[\s\S]*mass-lockout[\s\S]*own directory/);
});
