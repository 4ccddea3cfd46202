// The docker stack's resource sampling, on this machine's own files: the machine's busy cores
// come from /proc/stat, and a container whose cgroup files are not here is named in a note
// saying it is not measured, never reported as using nothing.
import test from 'ava';
import { readFile } from 'node:fs/promises';
import { MetricsRegistry } from '../../engine/metrics/registry.ts';
import { sampleResources } from '../../stack/docker/container-resources.ts';

test('without cgroup files for a container, the note says so and only the machine is measured', async (t) => {
  const metrics = new MetricsRegistry({ startedAt: Date.now() });
  const sampling = await sampleResources([{ role: 'mta', id: 'f'.repeat(64) }], metrics, 50);
  t.teardown(() => sampling.stop());
  t.regex(sampling.note, /^resources: no cgroup files under \/sys\/fs\/cgroup for mta .*not measured$/);
  await new Promise((r) => setTimeout(r, 300));
  const cpus = (await readFile('/proc/stat', 'utf8')).split('\n').filter((l) => /^cpu\d+ /.test(l)).length;
  t.is(metrics.query('host.cores')?.stat('value'), cpus);
  const busy = metrics.query('host.cpu_busy_cores')?.stat('max');
  t.true(busy !== undefined && busy >= 0 && busy <= cpus, `busy cores ${busy}`);
  t.is(metrics.query('container.cpu_cores'), undefined);
  t.is(metrics.query('container.memory_bytes'), undefined);
});
