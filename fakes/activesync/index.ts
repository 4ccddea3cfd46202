export { FakeActiveSync, type FakeActiveSyncOptions, type StartedActiveSync } from './server.ts';
export { ACTIVESYNC_PATH, COMMANDS as ACTIVESYNC_COMMANDS, type ActiveSyncCommand } from './request.ts';
