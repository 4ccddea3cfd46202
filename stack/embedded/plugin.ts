// Registration of the embedded stack (every fake in this process); its config file only says
// whether the fakes speak TLS and how accounts log in.
import { defineStackPlugin } from '../plugin.ts';
import { embeddedConfig } from './config.ts';

export const embeddedPlugin = defineStackPlugin({
  kind: 'embedded',
  parseConfig: (value, where) => void embeddedConfig(value, where),
  load: async () => (await import('./index.ts')).embeddedProvider,
});
