// ava settings for the throughput-measuring tests (`test/load/`: a capacity knee search and a
// user day that must achieve every planned task). They run after the main suite, one file at
// a time, so other tests' CPU use cannot starve the generator and move the figures they check.
export default {
  files: ['test/load/**/*.test.ts'],
  extensions: { ts: 'module' },
  nodeArguments: ['--import=tsx'],
  concurrency: 1,
  serial: true,
  timeout: '4m',
  workerThreads: false,
};
