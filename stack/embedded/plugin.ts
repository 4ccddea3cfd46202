// Registration of the embedded stack (every fake in this process); its config file only
// says how accounts log in (auth: oauth2).
import { defineStackPlugin } from '../plugin.ts';
import { parseEmbeddedConfig } from './auth-config.ts';

export const embeddedPlugin = defineStackPlugin({
  kind: 'embedded',
  parseConfig: (value, where) => void parseEmbeddedConfig(value, where),
  load: async () => (await import('./index.ts')).embeddedProvider,
});
