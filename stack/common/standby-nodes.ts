// The standby platform's nodes as every provider names them: node 1 behind "smtp-standby" and
// "submission-standby", node k > 1 behind "smtp-standby-k" and "submission-standby-k", so a
// scenario's chaos fails one node the same way on the embedded and the docker stack.
import { InputError } from '../../engine/errors.ts';

/** Proxy name suffixes of the standby's nodes: "" for node 1, "-k" for node k. */
export function standbyNodeSuffixes(nodes = 1): string[] {
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 32) throw new InputError(`standby.nodes=${nodes}: a whole number from 1 to 32`);
  return Array.from({ length: nodes }, (_, i) => (i === 0 ? '' : `-${i + 1}`));
}
