// Registration of the docker stack; --config is checked without loading container tooling.
import { defineStackPlugin } from '../plugin.ts';
import { dockerConfig } from './config.ts';

export const dockerPlugin = defineStackPlugin({
  kind: 'docker',
  parseConfig: (value) => void dockerConfig(value),
  load: async () => (await import('./index.ts')).dockerProvider,
});
