// ava settings for the docker test group (`npm run test:docker`): real containers, so one
// file at a time (each file checks that nothing labelled mailstorm is left) and longer timeouts.
export default {
  files: ['test/docker/**/*.test.ts'],
  extensions: { ts: 'module' },
  nodeArguments: ['--import=tsx'],
  concurrency: 1,
  serial: true,
  timeout: '5m',
  workerThreads: false,
};
