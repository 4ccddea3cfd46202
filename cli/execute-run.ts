// Runs one scenario with Ctrl-C handling: the first SIGINT/SIGTERM stops the run, which
// still tears down and writes its reports; a second SIGINT writes what it can and exits now.
import { ScenarioRun, type RunOutcome, type RunRequest } from '../harness/run/run.ts';
import { EXIT } from '../harness/run/exit-code.ts';
import { writeResultJsonSync } from '../reports/result-json.ts';
import { writeJunitSync } from '../reports/junit.ts';
import { errorMessage } from '../engine/errors.ts';
import type { CliIo } from './io.ts';
import { watchParent } from './parent-watch.ts';

export async function executeRun(request: Omit<RunRequest, 'signal' | 'warn'>, io: CliIo): Promise<RunOutcome & { interrupted: boolean }> {
  const interrupt = new AbortController();
  const run = new ScenarioRun({ ...request, signal: interrupt.signal, warn: (m) => io.stderr.write(`mailstorm: warning: ${m}\n`) });
  let signals = 0;
  const onSignal = (name: 'SIGINT' | 'SIGTERM', why?: string) => {
    signals++;
    if (signals === 1) {
      io.stderr.write(`\nmailstorm: ${why ?? name}: stopping the run, tearing down and writing reports (Ctrl-C again to exit now)\n`);
      interrupt.abort(name);
      return;
    }
    try {
      const result = run.snapshot(`interrupted twice by ${name}; teardown skipped`);
      writeResultJsonSync(result, request.outDir);
      writeJunitSync([result], request.outDir);
      io.stderr.write(`mailstorm: exiting now; partial results in ${request.outDir}\n`);
    } catch (error) {
      io.stderr.write(`mailstorm: exiting now; could not write results: ${errorMessage(error)}\n`);
    }
    process.exit(name === 'SIGTERM' ? EXIT.sigterm : EXIT.sigint);
  };
  // SIGUSR2 is the kill switch: stop the load now, tear down, write the results.
  const onKill = () => {
    io.stderr.write('\nmailstorm: SIGUSR2 (kill switch): stopping the load, rolling back faults and writing reports\n');
    run.stop('stopped by the kill switch: SIGUSR2');
  };
  const onInt = () => onSignal('SIGINT');
  const onTerm = () => onSignal('SIGTERM');
  // A stack component that throws outside any await (a socket error nobody listened for)
  // must not kill the process before teardown and reports.
  const onUncaught = (error: unknown) => {
    io.stderr.write(`mailstorm: uncaught error during the run: ${error instanceof Error ? (error.stack ?? error.message) : errorMessage(error)}\n`);
    run.fail(error);
  };
  // The parent going away counts as SIGTERM (what npx got but did not pass on).
  const parent = watchParent((pid) => onSignal('SIGTERM', `the command that started mailstorm (pid ${pid}) has exited; as on SIGTERM`));
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  process.on('SIGUSR2', onKill);
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUncaught);
  try {
    const outcome = await run.execute();
    return { ...outcome, interrupted: interrupt.signal.aborted };
  } finally {
    parent.stop();
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
    process.off('SIGUSR2', onKill);
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onUncaught);
  }
}
