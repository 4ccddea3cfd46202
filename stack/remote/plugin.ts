// Registration of the remote stack: --config names every endpoint a run may contact.
import { defineStackPlugin } from '../plugin.ts';
import { parseRemoteConfig } from './config.ts';

export const remotePlugin = defineStackPlugin({
  kind: 'remote',
  parseConfig: (value, where) => void parseRemoteConfig(value, where),
  load: async () => (await import('./index.ts')).remoteProvider,
});
