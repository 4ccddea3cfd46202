// Waits for a step, or until the run is stopped, whichever comes first, so a stack that
// never finishes starting cannot hold the run past its time limit. Whatever the step
// yields after that goes to `late` (e.g. to stop a stack that started too late).
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal, late?: (value: T) => unknown): Promise<T> {
  if (signal.aborted) {
    void work.then((v) => late?.(v), () => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      void work.then((v) => late?.(v), () => {});
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) return;
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
