// What the stack's containers used while the load ran: CPU (cores busy per wall second) and
// memory of each mail container, read once a second from the kernel's cgroup files on this
// machine (docker's own accounting, without `docker stats`' two-second sampling or a process
// per read), and the whole machine's busy cores from /proc/stat, other people's work included.
// A capacity step reads them to say which resource saturated.
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { declareAll } from '../../engine/metrics/declare.ts';
import type { MetricsSink } from '../../engine/metrics/types.ts';

export const RESOURCE_METRICS = {
  'container.cpu_cores': { kind: 'gauge', unit: 'ratio', label: 'CPU cores a container kept busy', topic: 'harness' },
  'container.memory_bytes': { kind: 'gauge', unit: 'bytes', label: 'memory a container used', topic: 'harness' },
  'host.cpu_busy_cores': { kind: 'gauge', unit: 'ratio', label: 'CPU cores busy on the machine (all work)', topic: 'harness' },
  'host.cores': { kind: 'gauge', unit: 'count', label: 'CPU cores of the machine', topic: 'harness' },
} as const;

export interface SampledContainer {
  /** role, the gauges' `container` tag: mta, mta-standby, store-target */
  role: string;
  id: string;
}

interface CgroupFiles {
  /** total CPU time of the container's processes */
  cpu: { file: string; toNs: (text: string) => number };
  memory: string;
}

const CGROUP = '/sys/fs/cgroup';

/** cgroup v2 and v1, docker's cgroupfs and systemd drivers: the first set whose files read. */
function candidates(id: string): CgroupFiles[] {
  const v2 = (dir: string): CgroupFiles => ({ cpu: { file: `${dir}/cpu.stat`, toNs: (t) => Number(/usage_usec (\d+)/.exec(t)?.[1]) * 1000 }, memory: `${dir}/memory.current` });
  const v1 = (cpuDir: string, memDir: string): CgroupFiles => ({ cpu: { file: `${cpuDir}/cpuacct.usage`, toNs: (t) => Number(t.trim()) }, memory: `${memDir}/memory.usage_in_bytes` });
  return [
    v2(`${CGROUP}/docker/${id}`),
    v2(`${CGROUP}/system.slice/docker-${id}.scope`),
    v1(`${CGROUP}/cpuacct/docker/${id}`, `${CGROUP}/memory/docker/${id}`),
    v1(`${CGROUP}/cpu,cpuacct/docker/${id}`, `${CGROUP}/memory/docker/${id}`),
    v1(`${CGROUP}/cpuacct/system.slice/docker-${id}.scope`, `${CGROUP}/memory/system.slice/docker-${id}.scope`),
  ];
}

async function readable(files: CgroupFiles): Promise<boolean> {
  try {
    const [cpu, memory] = await Promise.all([readFile(files.cpu.file, 'utf8'), readFile(files.memory, 'utf8')]);
    return Number.isFinite(files.cpu.toNs(cpu)) && Number.isFinite(Number(memory.trim()));
  } catch {
    return false;
  }
}

/** /proc/stat's first line: all jiffies and the idle ones (idle + iowait), and the machine's CPUs (its cpuN lines). */
async function hostJiffies(): Promise<{ total: number; idle: number; cpus: number } | undefined> {
  try {
    const lines = (await readFile('/proc/stat', 'utf8')).split('\n');
    const fields = lines[0]!.trim().split(/\s+/).slice(1).map(Number);
    return { total: fields.slice(0, 8).reduce((a, b) => a + b, 0), idle: (fields[3] ?? 0) + (fields[4] ?? 0), cpus: lines.filter((l) => /^cpu\d+ /.test(l)).length };
  } catch {
    return undefined;
  }
}

export interface ResourceSampling {
  /** what is measured, or why nothing is, for the stack's notes */
  note: string;
  stop(): void;
}

export async function sampleResources(containers: readonly SampledContainer[], metrics: MetricsSink, intervalMs = 1_000): Promise<ResourceSampling> {
  declareAll(metrics, RESOURCE_METRICS);
  let lastHost = await hostJiffies();
  // The whole machine's CPUs: busy cores are a share of all of them (a cgroup limit on this
  // process, which availableParallelism() follows, does not bind the containers).
  const cores = lastHost?.cpus || availableParallelism();
  const found: { role: string; files: CgroupFiles; lastNs?: number; lastAt?: number }[] = [];
  const missing: string[] = [];
  for (const c of containers) {
    let files: CgroupFiles | undefined;
    for (const candidate of candidates(c.id)) if (!files && (await readable(candidate))) files = candidate;
    if (files) found.push({ role: c.role, files });
    else missing.push(c.role);
  }
  let busy = false;
  const sample = async () => {
    if (busy) return;
    busy = true;
    try {
      metrics.gauge('host.cores', cores);
      const host = await hostJiffies();
      if (host && lastHost && host.total > lastHost.total) {
        metrics.gauge('host.cpu_busy_cores', (1 - (host.idle - lastHost.idle) / (host.total - lastHost.total)) * cores);
      }
      lastHost = host;
      await Promise.all(found.map(async (c) => {
        try {
          const [cpuText, memText] = await Promise.all([readFile(c.files.cpu.file, 'utf8'), readFile(c.files.memory, 'utf8')]);
          const ns = c.files.cpu.toNs(cpuText);
          const at = performance.now();
          if (c.lastNs !== undefined && c.lastAt !== undefined && at > c.lastAt) metrics.gauge('container.cpu_cores', (ns - c.lastNs) / ((at - c.lastAt) * 1e6), { container: c.role });
          c.lastNs = ns;
          c.lastAt = at;
          metrics.gauge('container.memory_bytes', Number(memText.trim()), { container: c.role });
        } catch {
          // a container stopped mid-run (failover test): its last values stand
        }
      }));
    } finally {
      busy = false;
    }
  };
  await sample();
  const timer = setInterval(() => void sample(), intervalMs);
  timer.unref(); // sampling never keeps a finished run alive
  const measured = found.map((c) => c.role).join(', ');
  const note = found.length > 0
    ? `resources: CPU and memory of ${measured} read once a second from the kernel's cgroup files (container.cpu_cores, container.memory_bytes), the machine's busy cores of ${cores} from /proc/stat (host.cpu_busy_cores, other work included)${missing.length > 0 ? `; not found for ${missing.join(', ')}` : ''}`
    : `resources: no cgroup files under ${CGROUP} for ${missing.join(', ')} (a docker daemon on another machine, or a layout not known here), so container CPU and memory are not measured`;
  return { note, stop: () => clearInterval(timer) };
}
