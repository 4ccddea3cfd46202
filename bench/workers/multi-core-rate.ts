// Child of benchmark 9: one real run (ScenarioRun, the engine `mailstorm run` uses) of the
// no-op scenario at `rate`/s for `seconds` with `workers` worker threads, against a stack that
// starts nothing. Prints planned and started iterations, the cores the process used and each
// worker's CPU share, from the run's own result.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ScenarioRun } from '../../harness/run/run.ts';
import { loadScenario } from '../../harness/scenario/load.ts';
import { builtIns } from '../../scenarios/index.ts';
import type { Stack, StackProvider } from '../../stack/types.ts';

const [rate, seconds, workers] = process.argv.slice(2).map(Number) as [number, number, number];
const hp = { host: '127.0.0.1', port: 9 };
const inert: StackProvider = {
  kind: 'embedded',
  async start() {
    const stack: Stack = {
      description: { kind: 'embedded', components: [{ name: 'nothing' }], notes: [] },
      endpoints: { smtp: hp, submission: hp, imap: hp, activesync: 'http://127.0.0.1:9', toxiproxy: 'http://127.0.0.1:9', proxies: {}, extra: {} },
      queueDepth: () => undefined,
      stop: async () => {},
      [Symbol.asyncDispose]: async () => {},
    };
    return stack;
  },
};
const outDir = await mkdtemp(path.join(os.tmpdir(), 'mailstorm-bench-rate-'));
const scenario = await loadScenario(fileURLToPath(new URL('./noop-scenario.ts', import.meta.url)), builtIns);
const run = new ScenarioRun({
  scenario, overrides: { set: [`rate=${rate}`, `duration=${seconds}s`] }, seed: 1, stackKind: 'embedded', provider: async () => inert,
  runId: 'bench-rate', outDir, command: 'bench', version: '0.0.0', reporters: [], ...(workers > 1 ? { workers } : {}),
});
const { result } = await run.execute();
await rm(outDir, { recursive: true, force: true });
const count = (name: string) => result.metrics.filter((m) => m.name === name).reduce((sum, m) => sum + (m.values['count'] ?? 0), 0);
const lag = result.metrics.find((m) => m.name === 'schedule_lag');
console.log(JSON.stringify({
  planned: rate * seconds,
  started: count('iterations') + count('interrupted_iterations'),
  dropped: count('dropped_iterations'),
  cores: result.rig?.figures.harnessCpuShare ?? 0,
  lagP99: lag?.values['p(99)'] ?? 0,
  workers: (result.rig?.workers?.threads ?? []).map((w) => ({ segment: w.segment, cpu: w.cpuShare, iterations: w.iterations, eventLoopDelayP99Ms: w.eventLoopDelayP99Ms })),
  verdict: result.verdict,
  reason: result.reason,
}));
process.exit(0);
