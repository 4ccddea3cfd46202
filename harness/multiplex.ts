// Calls every reporter and catches each one's own failure, so one broken writer cannot
// lose the others' output. The list a run uses is in default-reporters.ts.
import type { Reporter, RunMeta, Sample } from './reporter.ts';
import type { RunEvent } from '../engine/events.ts';
import type { RunResult } from './result-schema.ts';
import { errorMessage } from '../engine/errors.ts';

export interface ReporterFailure {
  reporter: number;
  hook: string;
  message: string;
}

export class MultiReporter implements Reporter {
  readonly failures: ReporterFailure[] = [];

  constructor(
    private readonly reporters: readonly Reporter[],
    private readonly onFailure: (failure: ReporterFailure) => void = () => {},
  ) {}

  #fail(reporter: number, hook: string, error: unknown): void {
    const failure = { reporter, hook, message: errorMessage(error) };
    this.failures.push(failure);
    this.onFailure(failure);
  }

  async onBegin(meta: RunMeta): Promise<void> {
    await Promise.all(this.reporters.map(async (r, i) => {
      try {
        await r.onBegin(meta);
      } catch (error) {
        this.#fail(i, 'onBegin', error);
      }
    }));
  }

  onSample(sample: Sample): void {
    this.reporters.forEach((r, i) => {
      try {
        r.onSample?.(sample);
      } catch (error) {
        this.#fail(i, 'onSample', error);
      }
    });
  }

  onEvent(event: RunEvent): void {
    this.reporters.forEach((r, i) => {
      try {
        r.onEvent?.(event);
      } catch (error) {
        this.#fail(i, 'onEvent', error);
      }
    });
  }

  async onCheckpoint(result: RunResult, outDir: string): Promise<void> {
    for (const [i, r] of this.reporters.entries()) {
      try {
        await r.onCheckpoint?.(result, outDir);
      } catch (error) {
        this.#fail(i, 'onCheckpoint', error);
      }
    }
  }

  /** Writers run one after another so the terminal summary comes last and can list their files. */
  async onEnd(result: RunResult, outDir: string): Promise<void> {
    for (const [i, r] of this.reporters.entries()) {
      try {
        await r.onEnd(result, outDir);
      } catch (error) {
        this.#fail(i, 'onEnd', error);
      }
    }
  }
}
