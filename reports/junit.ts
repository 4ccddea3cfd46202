// junit.xml: one <testsuite> per scenario run, one <testcase> per gate, so CI shows
// each gate as a passed or failed test. Suites combine their runs into one file.
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Reporter } from '../harness/reporter.ts';
import type { GateResult, RunResult } from '../harness/result-schema.ts';
import { gateFailed } from '../engine/thresholds/not-evaluated.ts';
import { breachText, overloadSentence } from './rig-text.ts';

export const JUNIT_FILE = 'junit.xml';

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string)
    // Control characters are not allowed in XML 1.0.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toFixed(3)));
}

/** "observed 812 vs threshold p(99)<500", or the reason when there is no plain comparison. */
export function gateFailureMessage(gate: GateResult): string {
  if (gate.observed === null) return gate.reason ?? 'no samples';
  const text = `observed ${formatNumber(gate.observed)} vs threshold ${gate.expression}`;
  return gate.reason ? `${text} (${gate.reason})` : text;
}

function testcase(result: RunResult, gate: GateResult): string {
  const name = escapeXml(`${gate.metric}: ${gate.expression}`);
  const open = `    <testcase classname="${escapeXml(result.scenario.name)}" name="${name}" time="0">`;
  if (gate.ok) return `${open}</testcase>`;
  if (gate.notEvaluated !== undefined) return `${open}\n      <skipped message="${escapeXml(`not evaluated: ${gate.notEvaluated}`)}"/>\n    </testcase>`;
  const message = escapeXml(gateFailureMessage(gate));
  const body = escapeXml(gate.description ?? '');
  // On an overloaded rig a failed gate is not the stack's failure: CI shows an error.
  if (result.verdict === 'inconclusive') return `${open}\n      <error message="${escapeXml(`not judged, the harness could not keep up: ${gateFailureMessage(gate)}`)}" type="inconclusive">${body}</error>\n    </testcase>`;
  return `${open}\n      <failure message="${message}" type="gate">${body}</failure>\n    </testcase>`;
}

/** The rig as a testcase of its own, so CI lists "harness kept up" beside the gates. */
function rigCase(result: RunResult): string | undefined {
  const rig = result.rig;
  if (!rig || rig.notJudged) return undefined;
  const open = `    <testcase classname="${escapeXml(result.scenario.name)}" name="harness kept up" time="0">`;
  if (!rig.overloaded) return `${open}</testcase>`;
  return `${open}\n      <error message="${escapeXml(rig.breaches.map(breachText).join('; '))}" type="inconclusive">${escapeXml(overloadSentence(rig))}</error>\n    </testcase>`;
}

function counts(result: RunResult): { tests: number; failures: number; errors: number } {
  const failedGates = result.gates.filter(gateFailed).length;
  const inconclusive = result.verdict === 'inconclusive';
  const rig = rigCase(result) ? 1 : 0;
  const incomplete = result.complete ? 0 : 1;
  return {
    tests: result.gates.length + rig + incomplete,
    failures: (inconclusive ? 0 : failedGates) + incomplete,
    errors: inconclusive ? failedGates + rig : 0,
  };
}

/** A run that did not complete gets one extra failing testcase saying why. */
function completionCase(result: RunResult): string | undefined {
  if (result.complete) return undefined;
  const message = escapeXml(`run incomplete: ${result.reason}`);
  return `    <testcase classname="${escapeXml(result.scenario.name)}" name="run completed" time="0">\n      <failure message="${message}" type="${result.verdict === 'error' ? 'error' : 'incomplete'}"/>\n    </testcase>`;
}

function testsuite(result: RunResult): string {
  const cases = result.gates.map((g) => testcase(result, g));
  const rig = rigCase(result);
  if (rig) cases.push(rig);
  const incomplete = completionCase(result);
  if (incomplete) cases.push(incomplete);
  const { failures, errors } = counts(result);
  const skipped = result.gates.filter((g) => g.notEvaluated !== undefined).length;
  const attrs = [
    `name="${escapeXml(result.scenario.name)}"`,
    `tests="${cases.length}"`,
    `failures="${failures}"`,
    `errors="${errors}"`,
    `skipped="${skipped}"`,
    `time="${(result.durationMs / 1000).toFixed(3)}"`,
    `timestamp="${escapeXml(result.startedAt)}"`,
  ];
  const props = `    <properties>\n      <property name="runId" value="${escapeXml(result.runId)}"/>\n      <property name="verdict" value="${result.verdict}"/>\n      <property name="complete" value="${result.complete}"/>\n    </properties>`;
  return `  <testsuite ${attrs.join(' ')}>\n${props}\n${cases.join('\n')}\n  </testsuite>`;
}

export function junitXml(results: readonly RunResult[], name = 'mailstorm'): string {
  const suites = results.map(testsuite);
  const total = results.map(counts).reduce((a, c) => ({ tests: a.tests + c.tests, failures: a.failures + c.failures, errors: a.errors + c.errors }), { tests: 0, failures: 0, errors: 0 });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${escapeXml(name)}" tests="${total.tests}" failures="${total.failures}" errors="${total.errors}">\n${suites.join('\n')}\n</testsuites>\n`;
}

export async function writeJunit(results: readonly RunResult[], outDir: string, name?: string): Promise<string> {
  await mkdir(outDir, { recursive: true });
  const file = path.join(outDir, JUNIT_FILE);
  await writeFile(file, junitXml(results, name));
  return file;
}

export function writeJunitSync(results: readonly RunResult[], outDir: string, name?: string): string {
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, JUNIT_FILE);
  writeFileSync(file, junitXml(results, name));
  return file;
}

export function junitReporter(): Reporter {
  return {
    onBegin() {},
    async onEnd(result, outDir) {
      await writeJunit([result], outDir);
    },
  };
}
