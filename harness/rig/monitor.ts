// Watches the harness process during the measured window: event-loop delay, CPU share,
// CPU wait and GC pauses, once a second, with a figure per second for the chart.
import { monitorEventLoopDelay, PerformanceObserver, type IntervalHistogram } from 'node:perf_hooks';
import type { Clock } from '../../engine/clock.ts';
import { linuxRunQueueWaitNs as cpuWaitNs } from '../../engine/run-queue-wait.ts';
import type { ProcessFigures, RigSecond } from './types.ts';

/** The delay monitor samples every 10 ms; a delay of up to that is its own timer, not lag. */
const RESOLUTION_MS = 10;
const NS_PER_MS = 1e6;


function delayMs(ns: number): number {
  return Math.max(0, round(ns / NS_PER_MS - RESOLUTION_MS));
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

export class RigMonitor {
  readonly #clock: Clock;
  readonly #startedAt: number;
  readonly #runStartedAt: number;
  // Two monitors: one reset every second for the chart, one over the whole window
  // (an event-loop histogram cannot be merged into another).
  readonly #delay: IntervalHistogram;
  readonly #window: IntervalHistogram;
  readonly #gc: PerformanceObserver;
  readonly #timer: NodeJS.Timeout;
  readonly #series: RigSecond[] = [];
  readonly #cpuStart = process.cpuUsage();
  readonly #waitStart = cpuWaitNs();
  #gcMs = 0;
  #gcSecondMs = 0;
  #lastAt: number;
  #lastCpu = process.cpuUsage();
  #lastWait = this.#waitStart;
  #stopped?: ProcessFigures;

  /** `runStartedAt` numbers the per-second points as the metrics' series are numbered. */
  constructor(clock: Clock, runStartedAt: number) {
    this.#clock = clock;
    this.#runStartedAt = runStartedAt;
    this.#startedAt = clock.now();
    this.#lastAt = this.#startedAt;
    this.#delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    this.#delay.enable();
    this.#window = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    this.#window.enable();
    this.#gc = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        this.#gcMs += entry.duration;
        this.#gcSecondMs += entry.duration;
      }
    });
    this.#gc.observe({ entryTypes: ['gc'] });
    this.#timer = setInterval(() => this.#sample(), 1000);
    this.#timer.unref();
  }

  #sample(): void {
    const now = this.#clock.now();
    const wallMs = Math.max(1, now - this.#lastAt);
    const cpu = process.cpuUsage(this.#lastCpu);
    const wait = cpuWaitNs();
    const second: RigSecond = {
      t: Math.floor((now - this.#runStartedAt) / 1000),
      eventLoopDelayP99Ms: this.#delay.count ? delayMs(this.#delay.percentile(99)) : 0,
      eventLoopDelayMaxMs: this.#delay.count ? delayMs(this.#delay.max) : 0,
      harnessCpuShare: round((cpu.user + cpu.system) / 1000 / wallMs),
      gcPauseMs: round(this.#gcSecondMs),
    };
    if (wait !== undefined && this.#lastWait !== undefined) second.cpuWaitShare = round((wait - this.#lastWait) / NS_PER_MS / wallMs);
    // Bounded: one point a second for at most the run's time limit (the run stops the monitor).
    if (this.#series.length < 7 * 24 * 3600) this.#series.push(second);
    this.#delay.reset();
    this.#gcSecondMs = 0;
    this.#lastAt = now;
    this.#lastCpu = process.cpuUsage();
    this.#lastWait = wait;
  }

  /** Figures so far (for checkpoints) without stopping. */
  figures(): ProcessFigures {
    if (this.#stopped) return this.#stopped;
    const now = this.#clock.now();
    const windowMs = Math.max(0, now - this.#startedAt);
    const all = this.#window;
    const cpu = process.cpuUsage(this.#cpuStart);
    const wait = cpuWaitNs();
    const perMs = Math.max(1, windowMs);
    const figures: ProcessFigures = {
      windowMs,
      eventLoopDelayP99Ms: all.count ? delayMs(all.percentile(99)) : 0,
      eventLoopDelayMaxMs: all.count ? delayMs(all.max) : 0,
      harnessCpuShare: round((cpu.user + cpu.system) / 1000 / perMs),
      gcPauseMs: round(this.#gcMs),
      gcShare: round(this.#gcMs / perMs),
    };
    if (wait !== undefined && this.#waitStart !== undefined) figures.cpuWaitShare = round((wait - this.#waitStart) / NS_PER_MS / perMs);
    return figures;
  }

  series(): RigSecond[] {
    return [...this.#series];
  }

  /** Ends the window; later calls return the same figures. */
  stop(): ProcessFigures {
    if (this.#stopped) return this.#stopped;
    clearInterval(this.#timer);
    const figures = this.figures();
    this.#delay.disable();
    this.#window.disable();
    this.#gc.disconnect();
    this.#stopped = figures;
    return figures;
  }

  [Symbol.dispose](): void {
    this.stop();
  }
}
