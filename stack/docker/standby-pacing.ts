// The standby's delivery pacing over several LMTP destinations (standby-settings.ts): Postfix
// paces each destination at one delivery per lmtp_destination_rate_delay (whole seconds), so a
// faster rate needs as many destinations. They are set in the running container (postconf,
// then postfix reload), which keeps the image as it is; randmap picks one per recipient.
// main.cf is dated back as the entrypoint does, so the reload does not sleep out the second.
import { StackError, errorMessage } from '../../engine/errors.ts';

interface Execs {
  role: string;
  exec(command: string[]): Promise<string>;
}

/** The transport_maps value: a random one of the LMTP listeners on the gateway. */
export function pacedTransportMaps(gateway: string, ports: readonly number[]): string {
  return `randmap:{${ports.map((port) => `lmtp:inet:[${gateway}]:${port}`).join(', ')}}`;
}

export async function paceOverDestinations(container: Execs, gateway: string, ports: readonly number[]): Promise<void> {
  const maps = pacedTransportMaps(gateway, ports);
  let said: string;
  try {
    said = await container.exec(['sh', '-c', `postconf -e 'transport_maps=${maps}' && touch -d '-2 seconds' /etc/postfix/main.cf && postfix reload 2>&1; postconf -h transport_maps`]);
  } catch (error) {
    throw new StackError(`could not pace the ${container.role} container's deliveries over ${ports.length} destinations: ${errorMessage(error)}`);
  }
  // postconf prints the value it now holds: anything else means Postfix did not take it.
  if (!said.includes(maps)) throw new StackError(`the ${container.role} container did not take transport_maps=${maps}: ${said.trim().slice(0, 300)}`);
}
