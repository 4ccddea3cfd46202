// Everything a suite folder gets besides the runs' own reports: index.html and summary.md.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunResult, SuiteResult } from '../../harness/result-schema.ts';
import { renderSuiteMarkdown } from '../markdown/render-suite-markdown.ts';
import { writeSuiteIndex } from './suite-index.ts';

export async function writeSuiteReports(suite: SuiteResult, results: readonly RunResult[], suiteDir: string): Promise<{ html: string; markdown: string }> {
  const html = await writeSuiteIndex(suite, results, suiteDir);
  const markdown = join(suiteDir, 'summary.md');
  await writeFile(markdown, renderSuiteMarkdown(suite, results));
  return { html, markdown };
}
