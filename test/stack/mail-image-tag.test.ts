// The mail image's tag names the files it is built from: the build script and the provider
// must compute the same name, and any change to those files must change it.
import test from 'ava';
import { execFile } from 'node:child_process';
import { cp, mkdtemp, appendFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { filesHash, MAIL_BUILD_DIR, mailBuildHash, mailImage, RELEASES } from '../../stack/docker/releases.ts';

const script = fileURLToPath(new URL('../../scripts/build-images.sh', import.meta.url));

test('scripts/build-images.sh --print-tags names the images the docker stack runs', async (t) => {
  const { stdout } = await promisify(execFile)('bash', [script, '--print-tags']);
  t.deepEqual(stdout.trim().split('\n'), RELEASES.map((r) => mailImage(r)));
  t.regex(mailImage('trixie'), /^mailstorm\/mail:trixie-[0-9a-f]{12}$/);
});

test('a changed configuration file gives the image another tag', async (t) => {
  const copy = await mkdtemp(join(tmpdir(), 'mailstorm-mail-'));
  try {
    await cp(MAIL_BUILD_DIR, copy, { recursive: true });
    t.is(filesHash(copy), mailBuildHash());
    await appendFile(join(copy, 'postfix', 'main.cf'), '\n# changed\n');
    t.not(filesHash(copy), mailBuildHash());
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
});
