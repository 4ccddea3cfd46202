// mailstorm images build [--mirror URL] [--force-base]: builds every image the docker stack
// runs, locally (scripts/build-images.sh), creating debian:bookworm-slim with debootstrap when
// no registry can provide it.
import { Command } from 'commander';
import type { CommandContext } from '../io.ts';

export function imagesCommand(cli: CommandContext): Command {
  const { io } = cli;
  const images = new Command('images').description('build and inspect the docker stack\'s images (works offline)');
  images
    .command('build')
    .description('build debian:bookworm-slim (debootstrap when not pullable) and mailstorm/mail (Postfix + Dovecot)')
    .option('--mirror <url>', 'Debian archive for debootstrap and apt, e.g. an internal mirror (default http://deb.debian.org/debian)')
    .option('--force-base', 'recreate debian:bookworm-slim with debootstrap even when present')
    .action(async (opts: { mirror?: string; forceBase?: boolean }) => {
      const { buildImages, inspectImage, MAIL_IMAGE, BASE_IMAGE } = await import('../../stack/docker/images.ts');
      await buildImages({
        ...(opts.mirror !== undefined && { mirror: opts.mirror }),
        ...(opts.forceBase && { forceBase: true }),
        onOutput: (text) => io.stderr.write(text),
      });
      for (const name of [BASE_IMAGE, MAIL_IMAGE]) {
        const facts = await inspectImage(name);
        io.stdout.write(`${name}  ${facts.id.slice(0, 19)}  created ${facts.created}\n`);
      }
    });
  images
    .command('list')
    .description('show the images the docker stack uses and whether each is present')
    .action(async () => {
      const { imagePresent, inspectImage, MAIL_IMAGE, BASE_IMAGE, TOXIPROXY_IMAGE } = await import('../../stack/docker/images.ts');
      for (const name of [BASE_IMAGE, MAIL_IMAGE, TOXIPROXY_IMAGE]) {
        const line = (await imagePresent(name)) ? `present  ${(await inspectImage(name)).id.slice(0, 19)}` : 'absent';
        io.stdout.write(`${name}  ${line}\n`);
      }
    });
  return images;
}
