export { runExecutors } from './run-executors.ts';
export type { ExecutionHandle, ExecutorDeps, IterationContext, IterationErrorInfo, IterationFn } from './types.ts';
export { constantSchedule, rampingSchedule, type ArrivalSchedule } from './arrival-schedule.ts';
export { vuTargetAt } from './vu-ramp.ts';
export {
  ExecutionTuple,
  FULL_TEST,
  evenSequence,
  parseExecutionSegment,
  parseExecutionSegmentSequence,
  segmentString,
  sequenceString,
  type ExecutionSegment,
} from './execution-segment.ts';
