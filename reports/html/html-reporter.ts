// The HTML report as a run reporter: writes report.html when the run ends.
import type { Reporter } from '../../harness/reporter.ts';
import { writeHtmlReport } from './render-report.ts';

export function htmlReporter(): Reporter {
  return {
    onBegin() {},
    async onEnd(result, outDir) {
      await writeHtmlReport(result, outDir);
    },
  };
}
