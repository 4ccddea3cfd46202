// What result.json says about the harness itself: how the load generator fared, so a red
// gate can be told from a starved generator.

/** Figures over the measured window (load and drain). Absent figures were not measurable. */
export interface RigFigures {
  /** length of the measured window, ms */
  windowMs: number;
  /** event-loop delay beyond the monitor's own 10 ms resolution, ms */
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
  /** CPU time of the harness process (all its threads) per wall second, of one core */
  harnessCpuShare: number;
  /** share of wall time the harness's main thread was ready to run but waited for a CPU (Linux) */
  cpuWaitShare?: number;
  /** garbage-collection pauses, ms in all and as a share of the window */
  gcPauseMs: number;
  gcShare: number;
  /** how late arrival-rate executors started iterations, p95 ms (absent: no arrival-rate flow) */
  scheduleLagP95Ms?: number;
  /** how far time-compressed replays ran behind their simulated schedule, p95 wall ms */
  replayLagP95Ms?: number;
  /** iterations an arrival-rate executor could not start (no free VU), k6's meaning */
  droppedIterations: number;
  /** connections that failed because this machine ran out of file descriptors, ports or buffers */
  harnessResourceErrors: number;
  /**
   * share of the deliveries an in-process (embedded) MTA owed at its configured rate that it
   * could not make because the harness's event loop did not run it in time (absent: no such MTA)
   */
  fakeMtaShortfallShare?: number;
}

/** What the rig monitor measures itself; the engine's lag and drop figures are added to it. */
export type ProcessFigures = Omit<RigFigures, 'scheduleLagP95Ms' | 'replayLagP95Ms' | 'droppedIterations' | 'harnessResourceErrors' | 'fakeMtaShortfallShare'>;

/** The figures that can have a limit, and the limit: a figure above it means the rig was overloaded. */
export type RigLimitName = 'eventLoopDelayP99Ms' | 'harnessCpuShare' | 'cpuWaitShare' | 'gcShare' | 'scheduleLagP95Ms' | 'replayLagP95Ms' | 'droppedIterations' | 'harnessResourceErrors' | 'fakeMtaShortfallShare';
/** null: no limit (JSON has no Infinity). */
export type RigLimits = Record<RigLimitName, number | null>;

/** One figure over its limit. */
export interface RigBreach {
  figure: RigLimitName;
  observed: number;
  limit: number;
}

/** One second of the window, for the harness-health chart. */
export interface RigSecond {
  t: number;
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
  harnessCpuShare: number;
  cpuWaitShare?: number;
  gcPauseMs: number;
}

/** One worker thread of `--workers`: its execution segment and how it fared. */
export interface WorkerRig {
  /** the execution segment it ran, "1/2:1" */
  segment: string;
  /** share of one core its thread was busy (event-loop utilization) over its window */
  cpuShare: number;
  /** its own event-loop delay beyond the 10 ms resolution, ms */
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
  /** iterations it started */
  iterations: number;
  /** ms from its start to its last batch */
  windowMs: number;
  /** why it died before finishing its segment, when it did */
  crashed?: string;
}

/** How the engine split the load: what ran in worker threads and what stayed on the main thread. */
export interface WorkersRecord {
  /** worker threads asked for (--workers) */
  requested: number;
  /** worker threads that ran executors (0: everything stayed on the main thread) */
  threads: WorkerRig[];
  /** the k6 scenarios (options.scenarios keys) that ran on the main thread, with why */
  mainThread: { scenario: string; why: string }[];
}

export interface RigRecord {
  /** present when the run used --workers above 1 */
  workers?: WorkersRecord;
  limits: RigLimits;
  figures: RigFigures;
  series: RigSecond[];
  /** true when a figure broke its limit over a window long enough to judge */
  overloaded: boolean;
  breaches: RigBreach[];
  /** why the rig was not judged (a window too short to say), when it was not */
  notJudged?: string;
}
