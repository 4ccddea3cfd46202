// The toxic types this proxy knows, by Toxiproxy type name.
import type { ToxicKind } from '../types.ts';
import type { Random } from '../../../engine/random.ts';
import { latencyToxic } from './latency.ts';
import { bandwidthToxic } from './bandwidth.ts';
import { slowCloseToxic } from './slow-close.ts';
import { timeoutToxic } from './timeout.ts';
import { resetPeerToxic } from './reset-peer.ts';
import { slicerToxic } from './slicer.ts';
import { limitDataToxic } from './limit-data.ts';

export function toxicKinds(random: Random): Map<string, ToxicKind> {
  const kinds = [
    latencyToxic(random.fork('latency')),
    bandwidthToxic,
    slowCloseToxic,
    timeoutToxic,
    resetPeerToxic,
    slicerToxic(random.fork('slicer')),
    limitDataToxic,
  ];
  return new Map(kinds.map((k) => [k.type, k]));
}
