// ava settings for the main test suite (`npm test`): everything but the docker group and
// the tests that must not share the machine (ava.load.config.js runs those afterwards).
import { UNSHARED_FILES } from './ava.load.config.js';

export default {
  files: ['test/**/*.test.ts', '!test/docker/**', ...UNSHARED_FILES.map((f) => `!${f}`)],
  extensions: { ts: 'module' },
  nodeArguments: ['--import=tsx'],
  timeout: '2m',
  workerThreads: false,
};
