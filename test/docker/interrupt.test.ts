// An interrupted run leaves nothing behind: SIGTERM/SIGINT remove the stack's containers and
// network before the process dies; after SIGKILL (nothing can run), `mailstorm stack clean`
// removes the leftovers by their mailstorm label.
import test from 'ava';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { imagesReady, leftovers } from './helpers.ts';

const FIXTURE = fileURLToPath(new URL('./fixtures/start-stack.ts', import.meta.url));
const CLI = fileURLToPath(new URL('../../bin/mailstorm.js', import.meta.url));

test.before(async () => {
  await imagesReady();
});

test.after.always('no container or network labelled mailstorm is left', async (t) => {
  t.deepEqual(await leftovers(), []);
});

/** Starts the fixture, waits for "ready", sends `signal`, resolves with how the process ended. */
function startThenSignal(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import=tsx', FIXTURE], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the stack did not start within 120 s:\n${output}`));
    }, 120_000);
    const take = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready\n') && !child.killed) child.kill(signal);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, sig) => {
      clearTimeout(guard);
      resolve({ code, signal: sig, output });
    });
  });
}

function runCli(args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout }));
  });
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`${signal} during a run removes the stack's containers and network`, async (t) => {
    const ended = await startThenSignal(signal);
    t.is(ended.signal, signal, ended.output);
    t.deepEqual(await leftovers(), []);
  });
}

test('after SIGKILL, `mailstorm stack clean` removes the leftovers', async (t) => {
  const ended = await startThenSignal('SIGKILL');
  t.is(ended.signal, 'SIGKILL');
  t.true((await leftovers()).length >= 2, 'a killed run leaves its container and network');
  const clean = await runCli(['stack', 'clean']);
  t.is(clean.code, 0);
  t.regex(clean.stdout, /removed [1-9]\d* container\(s\), [1-9]\d* network\(s\)/);
  t.deepEqual(await leftovers(), []);
});
