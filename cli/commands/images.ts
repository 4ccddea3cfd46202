// mailstorm images build [--release R] [--mirror URL] [--force-base]: builds every image the
// docker stack runs, locally (scripts/build-images.sh), one mail image per Debian release,
// creating debian:<release>-slim with debootstrap when no registry can provide it.
import { Command } from 'commander';
import { InputError } from '../../engine/errors.ts';
import type { CommandContext } from '../io.ts';

export function imagesCommand(cli: CommandContext): Command {
  const { io } = cli;
  const images = new Command('images').description('build and inspect the docker stack\'s images (works offline)');
  images
    .command('build')
    .description('build debian:<release>-slim (debootstrap when not pullable) and mailstorm/mail:<release>-<hash> (Postfix + Dovecot + postfwd; the hash names the files it is built from) for bookworm and trixie')
    .option('--release <name>', 'build one release only: bookworm or trixie (default: both)')
    .option('--mirror <url>', 'Debian archive for debootstrap and apt, e.g. an internal mirror (default http://deb.debian.org/debian)')
    .option('--force-base', 'recreate debian:<release>-slim with debootstrap even when present')
    .action(async (opts: { release?: string; mirror?: string; forceBase?: boolean }) => {
      const { buildImages, inspectImage, mailImage, baseImage, RELEASES } = await import('../../stack/docker/images.ts');
      const release = RELEASES.find((r) => r === opts.release);
      if (opts.release !== undefined && release === undefined) {
        throw new InputError(`--release ${opts.release}: expected one of ${RELEASES.join(', ')}`);
      }
      await buildImages({
        ...(release !== undefined && { release }),
        ...(opts.mirror !== undefined && { mirror: opts.mirror }),
        ...(opts.forceBase && { forceBase: true }),
        onOutput: (text) => io.stderr.write(text),
      });
      for (const r of release !== undefined ? [release] : RELEASES) {
        for (const name of [baseImage(r), mailImage(r)]) {
          const facts = await inspectImage(name);
          io.stdout.write(`${name}  ${facts.id.slice(0, 19)}  created ${facts.created}\n`);
        }
      }
    });
  images
    .command('list')
    .description('show the images the docker stack uses and whether each is present')
    .action(async () => {
      const { imagePresent, inspectImage, mailImage, baseImage, RELEASES, TOXIPROXY_IMAGE } = await import('../../stack/docker/images.ts');
      for (const name of [...RELEASES.flatMap((r) => [baseImage(r), mailImage(r)]), TOXIPROXY_IMAGE]) {
        const line = (await imagePresent(name)) ? `present  ${(await inspectImage(name)).id.slice(0, 19)}` : 'absent';
        io.stdout.write(`${name}  ${line}\n`);
      }
    });
  return images;
}
