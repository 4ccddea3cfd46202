// What each benchmark gets and gives back; results.json is a list of BenchResult.
import type { CpuUse } from './cpu.ts';
import type { Peers } from './peers.ts';
import type { Spread } from './stats.ts';

export interface BenchContext {
  quick: boolean;
  /** Repetitions of each measurement (min/median/max are over these). */
  runs: number;
  peers: Peers;
  log(line: string): void;
}

export interface Figure extends Spread {
  unit: string;
}

export interface BenchResult {
  id: number;
  title: string;
  goal: string;
  figures: Record<string, Figure>;
  /** ours / theirs (or the figure the goal is about), per run, summarised. */
  ratio?: Figure;
  /** Whether the goal is met (on the median); null when the benchmark was skipped or failed. */
  met: boolean | null;
  skipped?: string;
  notes?: string[];
  /** The machine's 1/5/15-minute load average when the benchmark started (other work skews figures). */
  loadAverage?: number[];
  /** Cores the benchmark could use and the CPU each of its processes used (mailstorm's marked). */
  cpu?: { coresAvailable: number; processes: CpuUse[] };
}

export type BenchOutcome = Omit<BenchResult, 'id' | 'title' | 'goal' | 'cpu' | 'loadAverage'>;

export interface Benchmark {
  id: number;
  title: string;
  goal: string;
  run(ctx: BenchContext): Promise<BenchOutcome>;
}
