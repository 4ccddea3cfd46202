// The stack providers mailstorm knows. Adding one is a folder stack/<kind>/ with its
// provider (index.ts) and its registration (plugin.ts), and one entry here; --stack's
// choices, config checks and loading all follow from this list.
import { embeddedPlugin } from './embedded/plugin.ts';
import { dockerPlugin } from './docker/plugin.ts';
import { remotePlugin } from './remote/plugin.ts';

export const STACK_PLUGINS = [embeddedPlugin, dockerPlugin, remotePlugin] as const;

export type StackKind = (typeof STACK_PLUGINS)[number]['kind'];
