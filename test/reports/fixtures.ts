// Paths and loaders for the hand-built result.json fixtures (see fixtures/build-fixtures.ts).
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunResult, SuiteResult } from '../../harness/result-schema.ts';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

export function fixturePath(name: string): string {
  return join(FIXTURES, name);
}

export function loadRun(name: string): RunResult {
  return JSON.parse(readFileSync(join(FIXTURES, name, 'result.json'), 'utf8')) as RunResult;
}

export function loadSuite(name: string): SuiteResult {
  return JSON.parse(readFileSync(join(FIXTURES, name, 'suite.json'), 'utf8')) as SuiteResult;
}

export function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `mailstorm-${prefix}-`));
}

/** The JSON embedded in a report page's <script id="report-data">. */
export function embeddedData(html: string): Record<string, unknown> {
  const match = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html);
  if (!match) throw new Error('no embedded report data');
  return JSON.parse(match[1] as string) as Record<string, unknown>;
}
