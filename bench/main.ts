// `npm run bench [-- --only 1,3] [--quick] [--runs N]`: every benchmark against its real
// peer, repeated, printed as a table and written to bench/results.json.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { coresAvailable, recordCpu, takeCpuBook } from './lib/cpu.ts';
import { BENCH_DIR } from './lib/processes.ts';
import { describeMachine } from './lib/machine.ts';
import { ensurePeers, type Peers } from './lib/peers.ts';
import { formatTable } from './lib/table.ts';
import type { BenchContext, BenchOutcome, BenchResult } from './lib/types.ts';
import { BENCHMARKS } from './benchmarks/index.ts';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    quick: { type: 'boolean', default: false },
    runs: { type: 'string' },
    out: { type: 'string' },
  },
});
const only = values.only ? new Set(values.only.split(',').map(Number)) : undefined;
const runs = values.runs ? Number(values.runs) : 3;
if (!Number.isInteger(runs) || runs < 1 || runs > 20) {
  console.error(`--runs must be a whole number 1..20, got ${values.runs}`);
  process.exit(2);
}
const unknown = [...(only ?? [])].filter((id) => !BENCHMARKS.some((b) => b.id === id));
if (unknown.length > 0) {
  console.error(`--only: no benchmark ${unknown.join(', ')}; there are ${BENCHMARKS.map((b) => b.id).join(', ')}`);
  process.exit(2);
}

const log = (line: string) => console.error(line);
let peers: Peers;
try {
  peers = ensurePeers(log);
} catch (error) {
  console.error(`the benchmark's peers are not available: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(3);
}
const ctx: BenchContext = { quick: values.quick, runs, peers, log };
const machine = describeMachine(peers.versions);
const results: BenchResult[] = [];
for (const bench of BENCHMARKS) {
  if (only && !only.has(bench.id)) continue;
  log(`${bench.id}. ${bench.title} ...`);
  const base = { id: bench.id, title: bench.title, goal: bench.goal, loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100) };
  takeCpuBook();
  const ownBefore = process.cpuUsage();
  const startedAt = performance.now();
  let outcome: BenchOutcome;
  try {
    outcome = await bench.run(ctx);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`  failed: ${message}`);
    outcome = { figures: {}, met: null, skipped: `failed: ${message}` };
  }
  // This process only starts and waits for the others; its own CPU shows it stayed out of the way.
  const own = process.cpuUsage(ownBefore);
  recordCpu('bench main (this process)', false, (own.user + own.system) / 1e6, (performance.now() - startedAt) / 1000);
  results.push({ ...base, ...outcome, cpu: { coresAvailable: coresAvailable(), processes: takeCpuBook() } });
}
console.log(formatTable(results));
const out = values.out ?? path.join(BENCH_DIR, 'results.json');
fs.writeFileSync(out, `${JSON.stringify({ measuredAt: new Date().toISOString(), quick: values.quick, runs, machine, results }, null, 2)}\n`);
console.log(`\nwritten: ${path.relative(process.cwd(), out)}`);
