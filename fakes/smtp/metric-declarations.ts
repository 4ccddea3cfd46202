// The metrics the fake MTA records (its policy, queue and storm protection), said once.
import type { DeclarationTable } from '../../engine/metrics/declare.ts';

export const FAKE_MTA_METRICS: DeclarationTable = {
  'mta.accepted': { kind: 'counter', unit: 'count', label: 'accepted messages', topic: 'throughput', worse: 'lower' },
  'mta.deliveries_queued': { kind: 'counter', unit: 'count', label: 'deliveries queued', topic: 'throughput', worse: 'lower' },
  'mta.logins': { kind: 'counter', unit: 'count', label: 'submission logins, by SASL mechanism', worse: 'lower' },
  'mta.auth_failures': { kind: 'counter', unit: 'count', label: 'failed submission logins', topic: 'errors' },
  'mta.refused_backlog': { kind: 'counter', unit: 'count', label: 'messages refused for backlog', topic: 'errors' },
  'mta.delivered': { kind: 'counter', unit: 'count', label: 'deliveries the MTA made', topic: 'throughput', worse: 'lower' },
  // Read by the rig (harness/rig/assess.ts): an in-process MTA that falls behind its rate is the harness's CPU.
  'mta.pace_shortfall': { kind: 'counter', unit: 'count', label: 'deliveries the MTA owed at its configured rate but could not make in time (its event loop was busy)', topic: 'errors' },
  'mta.bounced': { kind: 'counter', unit: 'count', label: 'messages the MTA bounced', topic: 'errors' },
  'mta.queue_depth': { kind: 'gauge', unit: 'count', label: 'messages in the delivery queue', topic: 'queue' },
  'mta.storm_blocked': { kind: 'counter', unit: 'count', label: 'storm messages blocked', topic: 'errors', worse: 'lower' },
  'mta.storm_protection_engaged': { kind: 'counter', unit: 'count', label: 'times storm protection engaged', worse: 'lower' },
};
