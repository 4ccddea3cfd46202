// chaos/ and fakes/toxiproxy/ stand below reports/ and must not reach into stack or engine runs.
import test from 'ava';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(path.join(ROOT, dir), { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => path.join(e.parentPath, e.name));
}

for (const dir of ['chaos', 'fakes/toxiproxy']) {
  test(`${dir}/ imports nothing from reports/, engine/run/ or a concrete stack`, async (t) => {
    const files = await sources(dir);
    t.true(files.length > 3);
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      const imports = [...text.matchAll(/from '([^']+)'/g)].map((m) => path.resolve(path.dirname(file), m[1]!));
      for (const target of imports) {
        const rel = path.relative(ROOT, target);
        t.false(/^(reports|engine\/run|stack\/(embedded|docker|remote))\//.test(rel), `${path.relative(ROOT, file)} imports ${rel}`);
      }
    }
  });
}
