// Loads an exported script.ts in Node with k6's modules replaced by this folder's shims,
// and __ENV and open() as globals, as k6 would give them at init.
import { build } from 'esbuild';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const SHIMS: Record<string, string> = {
  'k6/execution': 'execution.ts', 'k6/data': 'data.ts', 'k6/metrics': 'metrics.ts',
  'k6/http': 'http.ts', 'k6/encoding': 'encoding.ts', 'k6/x/tcp': 'tcp.ts',
};

export async function loadScript(source: string, env: Record<string, string>): Promise<Record<string, unknown>> {
  const g = globalThis as Record<string, unknown>;
  g['__ENV'] = env;
  g['open'] = (file: string) => readFileSync(file, 'utf8');
  const dir = await mkdtemp(path.join(tmpdir(), 'mailstorm-k6-shim-'));
  const result = await build({
    stdin: { contents: source, loader: 'ts', resolveDir: dir },
    bundle: true, write: false, format: 'esm', platform: 'node', target: 'es2017',
    external: Object.values(SHIMS).map((f) => pathToFileURL(path.join(import.meta.dirname, f)).href),
    plugins: [{ name: 'k6-shims', setup(b) { b.onResolve({ filter: /^k6\// }, (a) => ({ path: pathToFileURL(path.join(import.meta.dirname, SHIMS[a.path] ?? 'missing')).href, external: true })); } }],
  });
  const file = path.join(dir, 'script.mjs');
  await writeFile(file, result.outputFiles[0]!.text);
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}
