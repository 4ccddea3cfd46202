// The layering the README promises: engine/ never imports a concrete stack (the CLI hands
// the run its provider); fakes/ and chaos/ never import reports/.
import test from 'ava';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

async function sourceFiles(folder: string): Promise<string[]> {
  const entries = await readdir(path.join(REPO, folder), { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => path.join(e.parentPath, e.name));
}

async function offenders(folders: readonly string[], forbidden: RegExp): Promise<string[]> {
  const found: string[] = [];
  for (const folder of folders) {
    for (const file of await sourceFiles(folder)) {
      const text = await readFile(file, 'utf8');
      for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)) {
        const target = path.resolve(path.dirname(file), m[1] ?? '');
        if (forbidden.test(path.relative(REPO, target))) found.push(`${path.relative(REPO, file)} -> ${m[1]}`);
      }
    }
  }
  return found;
}

test('engine/ never imports a concrete stack provider', async (t) => {
  t.deepEqual(await offenders(['engine'], /^stack\/(embedded|docker|remote)\//), []);
});

test('fakes/ and chaos/ never import reports/', async (t) => {
  t.deepEqual(await offenders(['fakes', 'chaos'], /^reports\//), []);
});
