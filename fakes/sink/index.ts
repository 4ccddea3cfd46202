export { FakeSink, type FakeSinkOptions, type StartedSink } from './fake-sink.ts';
export { ArrivalRecorder } from './arrival-recorder.ts';
export { sinkTarget } from './sink-target.ts';
