export { FakeMta, type FakeMtaOptions, type StartedMta } from './fake-mta.ts';
export { DeliveryQueue, type DeliveryQueueOptions } from './delivery-queue.ts';
export { StormProtection, STORM_DEFAULTS } from './storm-protection.ts';
export { FastSmtpServer } from './fast-smtp-server.ts';
export { DeliveryError, type DeliveryTarget, type MtaDirectory, type QueuedMessage, type StormProtectionOptions } from './types.ts';
export { relayTarget, type RelayTargetOptions } from './relay-target.ts';
