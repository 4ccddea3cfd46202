// The layering the tree promises (ARCHITECTURE.md): the fakes and chaos never import reports
// or a run; the engine never imports a concrete stack or a report writer (it is handed them).
import test from 'ava';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(path.join(ROOT, dir), { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => path.join(e.parentPath, e.name));
}

async function importsOf(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)].map((m) => path.relative(ROOT, path.resolve(path.dirname(file), m[1]!)));
}

const CONCRETE_STACK = /^stack\/(embedded|docker|remote)\//;
// result.json's schema, the reporter interface and the multiplexer are what the engine
// writes to; the writers themselves are handed in by the CLI.
const REPORT_WRITER = /^reports\/(?!result-schema\.ts$|reporter\.ts$|multiplex\.ts$)/;

const rules: { dir: string; forbidden: RegExp[] }[] = [
  { dir: 'fakes', forbidden: [/^reports\//, /^engine\/run\//, CONCRETE_STACK, /^scenarios\//] },
  { dir: 'chaos', forbidden: [/^reports\//, /^engine\/run\//, CONCRETE_STACK, /^scenarios\//] },
  { dir: 'engine', forbidden: [CONCRETE_STACK, REPORT_WRITER, /^scenarios\//, /^cli\//] },
  { dir: 'reports', forbidden: [CONCRETE_STACK, /^engine\/run\//, /^cli\//] },
  { dir: 'scenarios', forbidden: [CONCRETE_STACK, /^cli\//] },
];

for (const { dir, forbidden } of rules) {
  test(`${dir}/ imports nothing from ${forbidden.map((r) => r.source).join(', ')}`, async (t) => {
    const files = await sources(dir);
    t.true(files.length > 3);
    const broken: string[] = [];
    for (const file of files) {
      for (const target of await importsOf(file)) {
        if (forbidden.some((rule) => rule.test(target))) broken.push(`${path.relative(ROOT, file)} imports ${target}`);
      }
    }
    t.deepEqual(broken, []);
  });
}
