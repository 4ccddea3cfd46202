// The benchmarks' CPU book: a timed child's CPU comes from this process's reaped-children
// time, a long-running one's (with its descendants) from /proc while it lives. The children
// here burn a fixed amount of their own CPU time, so the figures hold on a busy machine too.
import fs from 'node:fs';
import test from 'ava';
import { processCpu, takeCpuBook, treeCpuSeconds } from '../../bench/lib/cpu.ts';
import { background, run } from '../../bench/lib/processes.ts';

// Spins until the process itself has used `ms` of CPU, then exits (or idles when told).
const burn = (ms: number, thenIdle = false) =>
  `const s=process.cpuUsage();while((process.cpuUsage(s).user+process.cpuUsage(s).system)/1000<${ms});${thenIdle ? 'setInterval(()=>{},1000);' : ''}`;

test.serial('a timed child\'s CPU time is measured and booked under its name', async (t) => {
  takeCpuBook();
  const done = await run(process.execPath, ['-e', burn(300)], 60_000, process.env, 'burner');
  t.is(done.code, 0);
  t.true(done.cpuSeconds >= 0.3 && done.cpuSeconds < 0.3 + 0.5, `300 ms burnt, ${done.cpuSeconds} s measured`);
  t.true(done.systemSeconds >= 0 && done.systemSeconds < done.cpuSeconds, `kernel ${done.systemSeconds} s of ${done.cpuSeconds} s`);
  const [entry, ...others] = takeCpuBook();
  t.is(others.length, 0);
  t.like(entry, { process: 'burner', mailstorm: false, cpuSeconds: Math.round(done.cpuSeconds * 100) / 100 });
  t.true(entry!.cores > 0 && entry!.cores <= 1.05, `one thread busy: ${entry!.cores} cores`);
  t.deepEqual(takeCpuBook(), [], 'taking the book empties it');
});

test.serial('a long-running child is read with its descendants and booked over its whole life when stopped', async (t) => {
  takeCpuBook();
  // A shell that waits on a node child: the CPU is the grandchild's.
  const shell = background('sh', ['-c', `"${process.execPath}" -e '${burn(300, true)}' & wait`]);
  const deadline = Date.now() + 60_000;
  while (shell.cpuSeconds() < 0.3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const seen = shell.cpuSeconds();
  t.true(seen >= 0.3 && seen < 0.3 + 0.5, `the grandchild's 300 ms read through the shell: ${seen} s`);
  t.is(treeCpuSeconds(shell.child.pid), seen, 'idle once burnt');
  // The shell does not pass SIGTERM on to the node child it waits for: that one is ended
  // here, after the shell (whose stop books the CPU; a shell already gone would book nothing).
  const grandchild = Number(fs.readFileSync(`/proc/${shell.child.pid}/task/${shell.child.pid}/children`, 'utf8').trim());
  t.true(grandchild > 0);
  await shell.stop();
  process.kill(grandchild, 'SIGKILL');
  const [entry] = takeCpuBook();
  t.like(entry, { process: 'sh (whole life)', mailstorm: false });
  t.true(entry!.cpuSeconds >= 0.3, `${entry!.cpuSeconds} s booked`);
});

test.serial('a live process\'s user and kernel CPU are read apart, and a gone one reads as zeros', async (t) => {
  takeCpuBook();
  const burner = background(process.execPath, ['-e', burn(300, true)]);
  const pid = burner.child.pid;
  try {
    const deadline = Date.now() + 60_000;
    while (burner.cpuSeconds() < 0.3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const { user, system } = processCpu(pid);
    // The spin asks the kernel for its own CPU time at every turn, so both parts grow.
    t.true(user > 0 && system > 0, `user ${user} s, kernel ${system} s`);
    t.true(user + system >= 0.3 && user + system < 0.3 + 0.5, `${user + system} s in all`);
    t.is(Math.round((user + system) * 100), Math.round(treeCpuSeconds(pid) * 100), 'the two add up to the process\'s CPU');
  } finally {
    await burner.stop();
  }
  t.deepEqual(processCpu(pid), { user: 0, system: 0 });
  takeCpuBook();
});
