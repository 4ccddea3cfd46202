// The docker stack's resource sampling, on this machine's own files: the machine's busy cores
// come from /proc/stat, and a container whose cgroup files are not here is named in a note
// saying it is not measured, never reported as using nothing.
import test from 'ava';
import { availableParallelism } from 'node:os';
import { MetricsRegistry } from '../../engine/metrics/registry.ts';
import { sampleResources } from '../../stack/docker/container-resources.ts';

test('without cgroup files for a container, the note says so and only the machine is measured', async (t) => {
  const metrics = new MetricsRegistry({ startedAt: Date.now() });
  const sampling = await sampleResources([{ role: 'mta', id: 'f'.repeat(64) }], metrics, 50);
  t.teardown(() => sampling.stop());
  t.regex(sampling.note, /^resources: no cgroup files under \/sys\/fs\/cgroup for mta .*not measured$/);
  await new Promise((r) => setTimeout(r, 300));
  t.is(metrics.query('host.cores')?.stat('value'), availableParallelism());
  const busy = metrics.query('host.cpu_busy_cores')?.stat('max');
  t.true(busy !== undefined && busy >= 0 && busy <= availableParallelism(), `busy cores ${busy}`);
  t.is(metrics.query('container.cpu_cores'), undefined);
  t.is(metrics.query('container.memory_bytes'), undefined);
});
