// The reporters of a run, in order: file writers first, then the terminal summary.
import type { Reporter } from '../harness/reporter.ts';
import { resultJsonReporter } from './result-json.ts';
import { junitReporter } from './junit.ts';
import { summaryReporter } from './summary.ts';
import { progressReporter } from './progress.ts';
import { htmlReporter } from './html/index.ts';
import { markdownReporter } from './markdown/index.ts';

export interface ReporterOptions {
  quiet?: boolean;
  /** where terminal output goes; defaults to process.stdout / process.stderr */
  stdout?: NodeJS.WritableStream & { isTTY?: boolean };
  stderr?: NodeJS.WritableStream & { isTTY?: boolean };
}

/**
 * The reporters of a run, in order: file writers first, then the terminal summary. Add a
 * writer by inserting it before the summary (the summary lists the files in outDir).
 */
export function defaultReporters(options: ReporterOptions = {}): Reporter[] {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const reporters: Reporter[] = [resultJsonReporter(), junitReporter(), htmlReporter(), markdownReporter()];
  if (!options.quiet) reporters.push(progressReporter({ stream: stderr }));
  reporters.push(summaryReporter({ stream: stdout, brief: options.quiet === true }));
  return reporters;
}
