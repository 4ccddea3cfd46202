// script.ts -> script.js for k6 builds older than v0.57: an esbuild bundle for es2017
// (k6's older JavaScript runtime), with k6's own modules left as imports.
import { transform } from 'esbuild';

export async function bundleForOldK6(source: string): Promise<string> {
  const result = await transform(source, { loader: 'ts', target: 'es2017', format: 'esm', legalComments: 'none' });
  return result.code;
}
