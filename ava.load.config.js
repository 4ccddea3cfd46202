// ava settings for the tests whose figures or verdicts need the generator to keep up: the
// throughput-measuring tests (`test/load/`) and the incident replays run end to end. They
// run after the main suite, one file at a time, so other tests' CPU use cannot starve the
// generator: a starved one now makes its run inconclusive (exit 4), which such a test
// would rightly report as a failure.
export const UNSHARED_FILES = [
  'test/load/**/*.test.ts',
  'test/rig/inconclusive.test.ts',
  'test/run/remote-plan-sent.test.ts',
  'test/scenarios/cutover.test.ts',
  'test/scenarios/leak-failover.test.ts',
  'test/scenarios/mass-lockout.test.ts',
  'test/scenarios/mass-lockout-late.test.ts',
  'test/scenarios/reply-all-storm.test.ts',
  'test/scenarios/weekend-migration.test.ts',
  'test/scenarios/weekend-migration-held-up.test.ts',
];

export default {
  files: UNSHARED_FILES,
  extensions: { ts: 'module' },
  nodeArguments: ['--import=tsx'],
  concurrency: 1,
  serial: true,
  timeout: '4m',
  workerThreads: false,
};
