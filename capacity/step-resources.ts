// A capacity step's resource notes: what the stack's containers, the harness and the whole
// machine used over the load window (from the gauges the docker stack samples once a second,
// container.cpu_cores, container.memory_bytes, host.cpu_busy_cores, and the rig's harness CPU),
// and which of them saturated. A stack that samples nothing (embedded, remote) gets none.
import type { RunResult } from '../harness/result-schema.ts';
import type { SeriesLine } from '../engine/metrics/types.ts';
import { loadWindow } from './load-window.ts';
import type { StepResources } from './types.ts';

/** Busy cores at or above this share of the machine's cores: the machine's CPU saturated. */
export const CPU_SATURATED_SHARE = 0.9;

function windowPoints(line: SeriesLine, from: number, to: number): number[] {
  return line.points.filter((p) => p.t >= from && p.t < to).map((p) => p.value);
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

export function stepResources(result: RunResult, loadSeconds: number): StepResources | null {
  const { from, to } = loadWindow(loadSeconds, result.loadStartedMs ?? 0);
  const lines = (name: string) => result.series.filter((s) => s.metric === name);
  const containers = lines('container.cpu_cores').flatMap((cpu) => {
    const name = cpu.tags['container'] ?? 'container';
    const values = windowPoints(cpu, from, to);
    if (values.length === 0) return [];
    const memory = lines('container.memory_bytes').find((m) => m.tags['container'] === name);
    const memoryValues = memory ? windowPoints(memory, from, to) : [];
    return [{ name, cpuCoresMean: round(mean(values)), cpuCoresMax: round(Math.max(...values)), memoryMbMax: memoryValues.length ? round(Math.max(...memoryValues) / 2 ** 20, 1) : null }];
  });
  if (containers.length === 0) return null;
  const busyValues = lines('host.cpu_busy_cores').flatMap((l) => windowPoints(l, from, to));
  const cores = lines('host.cores').flatMap((l) => l.points.map((p) => p.value)).find((v) => v > 0) ?? null;
  const hostBusyCoresMean = busyValues.length ? round(mean(busyValues)) : null;
  const harnessCores = result.rig?.figures.harnessCpuShare ?? null;
  const inContainers = round(containers.reduce((a, c) => a + c.cpuCoresMean, 0));
  const parts = [
    ...containers.map((c) => `${c.name} ${c.cpuCoresMean} cores (max ${c.cpuCoresMax})${c.memoryMbMax !== null ? `, ${c.memoryMbMax} MB` : ''}`),
    ...(harnessCores !== null ? [`harness ${round(harnessCores)} cores`] : []),
  ];
  const other = hostBusyCoresMean !== null && harnessCores !== null ? round(Math.max(0, hostBusyCoresMean - inContainers - harnessCores)) : null;
  const saturated = cores !== null && hostBusyCoresMean !== null && hostBusyCoresMean >= CPU_SATURATED_SHARE * cores ? 'machine-cpu' as const : null;
  const machine = hostBusyCoresMean !== null && cores !== null ? `machine ${hostBusyCoresMean} of ${cores} cores busy${other !== null ? ` (other processes ${other}, docker's own daemons included)` : ''}` : 'machine CPU not measured';
  const note = saturated
    ? `the machine's CPU saturated: ${machine}; ${parts.join('; ')}`
    : `no CPU limit reached: ${machine}; ${parts.join('; ')}`;
  return { containers, cores, hostBusyCoresMean, harnessCores, otherCores: other, saturated, note };
}
