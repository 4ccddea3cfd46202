// A kill switch for runs against a platform someone else runs: the moment the named file
// appears the run stops its load (within one poll), rolls back its faults in teardown and
// writes its results, as on any early stop.
import { existsSync } from 'node:fs';
import { InputError } from '../../engine/errors.ts';

export const KILL_SWITCH_POLL_MS = 200;

export function watchKillSwitch(file: string, stop: (reason: string) => void): Disposable {
  if (existsSync(file)) throw new InputError(`kill switch ${file} already exists; remove it before the run (the file appearing is what stops a run)`);
  const timer = setInterval(() => {
    if (existsSync(file)) stop(`stopped by the kill switch: ${file} appeared`);
  }, KILL_SWITCH_POLL_MS);
  timer.unref();
  return { [Symbol.dispose]: () => clearInterval(timer) };
}
