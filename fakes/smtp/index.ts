export { FakeMta, type FakeMtaOptions, type StartedMta } from './fake-mta.ts';
export { DeliveryQueue, type DeliveryQueueOptions } from './delivery-queue.ts';
export { StormProtection } from './storm-protection.ts';
export { FastSmtpServer } from './fast-smtp-server.ts';
export { DeliveryError, type DeliveryTarget, type MtaDirectory, type QueuedMessage } from './types.ts';
export type { StormProtectionSpec } from '../../engine/mta-spec.ts';
export { relayTarget, type RelayTargetOptions } from './relay-target.ts';
