// The layering the tree promises: every top-level source folder lists in its DEPS.list the
// folders it may import from; this test reads the lists, checks every relative import against
// them, and checks that the lists themselves only point down (no cycle between folders).
import test from 'ava';
import { readdir, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
const FOLDERS = ['engine', 'directory', 'fakes', 'stack', 'chaos', 'harness', 'scenarios', 'capacity', 'reports', 'k6', 'cli', 'bench', 'test'];

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(path.join(ROOT, dir), { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && /\.(ts|js)$/.test(e.name)).map((e) => path.join(e.parentPath, e.name));
}

async function importsOf(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)].map((m) => path.relative(ROOT, path.resolve(path.dirname(file), m[1]!)));
}

async function allowList(dir: string): Promise<Set<string>> {
  const text = await readFile(path.join(ROOT, dir, 'DEPS.list'), 'utf8');
  return new Set(text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#')));
}

test('every top-level source folder has a DEPS.list naming only known folders', async (t) => {
  const top = (await readdir(ROOT, { withFileTypes: true })).filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules');
  for (const entry of top) {
    const hasSources = (await sources(entry.name)).length > 0;
    if (hasSources && !['bin', 'scripts'].includes(entry.name)) t.true(existsSync(path.join(ROOT, entry.name, 'DEPS.list')), `${entry.name}/DEPS.list missing`);
  }
  for (const dir of FOLDERS) {
    for (const dep of await allowList(dir)) t.true(FOLDERS.includes(dep), `${dir}/DEPS.list names unknown folder ${dep}`);
  }
});

test('the allow-lists only point down: no folder can reach itself', async (t) => {
  const lists = new Map<string, Set<string>>();
  for (const dir of FOLDERS) lists.set(dir, await allowList(dir));
  const reaches = (from: string, seen = new Set<string>()): Set<string> => {
    for (const dep of lists.get(from) ?? []) if (!seen.has(dep)) { seen.add(dep); reaches(dep, seen); }
    return seen;
  };
  t.deepEqual(FOLDERS.filter((dir) => reaches(dir).has(dir)), []);
  t.is(lists.get('engine')!.size, 0, 'engine/ is the ground floor');
});

for (const dir of FOLDERS) {
  test(`${dir}/ imports only what its DEPS.list allows`, async (t) => {
    const allowed = await allowList(dir);
    const files = await sources(dir);
    t.true(files.length > 3);
    const broken: string[] = [];
    for (const file of files) {
      for (const target of await importsOf(file)) {
        const top = target.split(path.sep)[0]!;
        if (top !== dir && FOLDERS.includes(top) && !allowed.has(top)) broken.push(`${path.relative(ROOT, file)} imports ${target}`);
      }
    }
    t.deepEqual(broken, []);
  });
}

// Finer rules inside the allowed arrows: reports read result.json's schema and the reporter
// interface, never the run itself; fakes never reach a concrete stack or a replay.
test('reports/ reads only the result schema and the reporter interface from harness/', async (t) => {
  const broken: string[] = [];
  for (const file of await sources('reports')) {
    for (const target of await importsOf(file)) {
      if (target.startsWith('harness/') && !['harness/result-schema.ts', 'harness/reporter.ts', 'harness/scenario/types.ts', 'harness/scenario/story.ts'].includes(target)) {
        broken.push(`${path.relative(ROOT, file)} imports ${target}`);
      }
    }
  }
  t.deepEqual(broken, []);
});
