// The stack's own bridge network, labelled like everything else mailstorm starts (testcontainers'
// Network cannot take labels). Its gateway is the host's address on that network: where the
// containers reach mailstorm's policy server and ledger sink.
import { getContainerRuntimeClient, StartedNetwork } from 'testcontainers';
import { StackError } from '../../engine/errors.ts';
import { stackLabels } from './labels.ts';

export interface StackNetwork {
  started: StartedNetwork;
  name: string;
  /** The host's IPv4 address on this network. */
  gateway: string;
  stop(): Promise<void>;
}

export async function createStackNetwork(runId: string): Promise<StackNetwork> {
  const client = await getContainerRuntimeClient();
  const name = `mailstorm-${runId}`;
  const network = await client.network.create({
    Name: name,
    Driver: 'bridge',
    CheckDuplicate: true,
    Labels: stackLabels(runId, 'network'),
  });
  const info = (await network.inspect()) as { IPAM?: { Config?: { Gateway?: string }[] } };
  const gateway = info.IPAM?.Config?.find((c) => c.Gateway)?.Gateway;
  if (!gateway) {
    await client.network.remove(network);
    throw new StackError(`docker network ${name} has no IPv4 gateway; the containers could not reach mailstorm's services`);
  }
  const started = new StartedNetwork(client, name, network);
  let stopped: Promise<void> | undefined;
  return { started, name, gateway, stop: () => (stopped ??= started.stop().then(() => undefined)) };
}
