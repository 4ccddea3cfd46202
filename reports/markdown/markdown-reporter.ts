// The Markdown summary as a run reporter: writes report.md next to report.html.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Reporter } from '../../harness/reporter.ts';
import type { RunResult } from '../../harness/result-schema.ts';
import { renderMarkdown } from './render-markdown.ts';

export async function writeMarkdownReport(result: RunResult, outDir: string): Promise<string> {
  await mkdir(outDir, { recursive: true });
  const file = join(outDir, 'report.md');
  await writeFile(file, renderMarkdown(result));
  return file;
}

export function markdownReporter(): Reporter {
  return {
    onBegin() {},
    async onEnd(result, outDir) {
      await writeMarkdownReport(result, outDir);
    },
  };
}
