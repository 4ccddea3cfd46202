export { FakeToxiproxy, type FakeToxiproxyOptions, type StartedFakeToxiproxy } from './fake-toxiproxy.ts';
export { TOXIPROXY_VERSION } from './api-router.ts';
export type { ToxicState, Stream } from './types.ts';
