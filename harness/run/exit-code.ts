// Exit codes CI can act on. 130/143 follow the shell convention for a signal.
import type { Verdict } from '../result-schema.ts';

export const EXIT = { pass: 0, gateFailed: 1, input: 2, harness: 3, inconclusive: 4, sigint: 130, sigterm: 143 } as const;

export function exitCodeFor(verdict: Verdict, interruptedBy?: 'SIGINT' | 'SIGTERM'): number {
  if (interruptedBy === 'SIGINT') return EXIT.sigint;
  if (interruptedBy === 'SIGTERM') return EXIT.sigterm;
  switch (verdict) {
    case 'pass': return EXIT.pass;
    case 'fail': return EXIT.gateFailed;
    case 'inconclusive': return EXIT.inconclusive;
    default: return EXIT.harness;
  }
}
