// Turns chaos events and run events into what every chart draws: shaded bands while a
// fault is active and vertical markers for failures, degradation alarms and recoveries.
import type { ChaosEvent } from '../../chaos/types.ts';
import type { RunEvent } from '../../engine/events.ts';

export type MarkerKind = 'failure' | 'degradation' | 'recovery';

export interface TimelineBand {
  /** seconds since the run started */
  start: number;
  end: number;
  label: string;
  /** a disabled proxy (the service is down) rather than a toxic */
  down: boolean;
}

export interface TimelineMarker {
  at: number;
  label: string;
  kind: MarkerKind;
}

export interface Timeline {
  bands: TimelineBand[];
  markers: TimelineMarker[];
}

/** Run events drawn as failures; teardown trouble is the harness's, not the stack's. */
const FAILURE_EVENT = /^(?!teardown).*(fail|down|outage|crash|rollback)/i;
const RECOVERY_EVENT = /failover|recover|restored/i;

/** Events without an end (still active when the run stopped) close at `endS`. */
export function buildTimeline(chaos: readonly ChaosEvent[], events: readonly RunEvent[], endS: number): Timeline {
  const bands: TimelineBand[] = [];
  const markers: TimelineMarker[] = [];
  const open = new Map<string, { start: number; label: string; down: boolean }>();
  const close = (key: string, at: number) => {
    const band = open.get(key);
    if (!band) return;
    bands.push({ start: band.start, end: Math.max(at, band.start), label: band.label, down: band.down });
    open.delete(key);
  };
  for (const event of [...chaos].sort((a, b) => a.t - b.t)) {
    const at = event.t / 1000;
    const toxicKey = `${event.target}/${event.toxic ?? event.type ?? ''}`;
    switch (event.action) {
      case 'add':
        open.set(toxicKey, { start: at, label: `${event.type ?? event.toxic ?? 'fault'} on ${event.target}`, down: false });
        break;
      case 'remove':
        close(toxicKey, at);
        break;
      case 'disable':
        open.set(`${event.target}/down`, { start: at, label: `${event.target} down`, down: true });
        markers.push({ at, label: `${event.target} down`, kind: 'failure' });
        break;
      case 'enable':
        close(`${event.target}/down`, at);
        break;
      case 'rollback':
        for (const key of [...open.keys()]) close(key, at);
        break;
      case 'update':
        break;
    }
  }
  for (const key of [...open.keys()]) close(key, endS);
  for (const event of events) {
    const at = event.t / 1000;
    if (event.type === 'degradation_detected') markers.push({ at, label: 'degradation detected', kind: 'degradation' });
    else if (RECOVERY_EVENT.test(event.type)) markers.push({ at, label: event.type.replaceAll('_', ' '), kind: 'recovery' });
    else if (FAILURE_EVENT.test(event.type) && !markers.some((m) => m.kind === 'failure' && Math.abs(m.at - at) < 0.5)) {
      markers.push({ at, label: event.type.replaceAll('_', ' '), kind: 'failure' });
    }
  }
  markers.sort((a, b) => a.at - b.at);
  return { bands, markers };
}
