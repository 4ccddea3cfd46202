// mailstorm stack clean | ls: containers, networks and volumes mailstorm started carry the
// label mailstorm=1; a run removes its own at the end, and this removes what an aborted run
// (kill -9, a crashed machine) left behind.
import { Command } from 'commander';
import type { CommandContext } from '../io.ts';

export function stackCommand(cli: CommandContext): Command {
  const { io } = cli;
  const stack = new Command('stack').description('manage what the docker stack leaves on this machine');
  stack
    .command('clean')
    .description('remove every container, network and volume labelled mailstorm=1')
    .action(async () => {
      const { removeLabelled } = await import('../../stack/docker/cleanup.ts');
      const removed = await removeLabelled();
      io.stdout.write(`removed ${removed.containers} container(s), ${removed.networks} network(s), ${removed.volumes} volume(s)\n`);
    });
  stack
    .command('ls')
    .description('list containers, networks and volumes labelled mailstorm=1')
    .action(async () => {
      const { listLabelled } = await import('../../stack/docker/cleanup.ts');
      const found = await listLabelled();
      io.stdout.write(`containers: ${found.containers.join(' ') || '-'}\nnetworks: ${found.networks.join(' ') || '-'}\nvolumes: ${found.volumes.join(' ') || '-'}\n`);
    });
  return stack;
}
