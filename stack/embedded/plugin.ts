// Registration of the embedded stack (every fake in this process); it takes no config file.
import { defineStackPlugin } from '../plugin.ts';

export const embeddedPlugin = defineStackPlugin({
  kind: 'embedded',
  load: async () => (await import('./index.ts')).embeddedProvider,
});
