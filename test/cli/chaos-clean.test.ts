// `mailstorm chaos clean` through the real command against two embedded fault proxies, set up
// over Toxiproxy's HTTP API as a killed run and another user would leave them.
import test from 'ava';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ExecutionContext } from 'ava';
import { FakeToxiproxy } from '../../fakes/toxiproxy/index.ts';
import { copyFixture, runCli } from './helpers.ts';

interface ToxicJson { name: string; type: string; attributes: Record<string, number> }

async function api(url: string, method: string, route: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${url}${route}`, { method, ...(body ? { body: JSON.stringify(body) } : {}) });
  if (!response.ok) throw new Error(`${method} ${route} answered ${response.status}: ${await response.text()}`);
  return response.status === 204 ? undefined : response.json();
}

const addProxy = (url: string, name: string) => api(url, 'POST', '/proxies', { name, listen: '127.0.0.1:0', upstream: '127.0.0.1:9' }) as Promise<{ listen: string }>;
const addToxic = (url: string, proxy: string, name: string, latency = 5) =>
  api(url, 'POST', `/proxies/${proxy}/toxics`, { name, type: 'latency', stream: 'downstream', attributes: { latency } });
const toxics = async (url: string, proxy: string) => ((await api(url, 'GET', `/proxies/${proxy}/toxics`)) as ToxicJson[]).map((x) => x.name).sort();

async function tempDir(t: ExecutionContext): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mailstorm-chaos-clean-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

test('removes only mailstorm toxics, per proxy, leaves foreign toxics and another Toxiproxy alone; then nothing to clean', async (t) => {
  await using a = await new FakeToxiproxy().start();
  await using b = await new FakeToxiproxy().start();
  for (const proxy of ['smtp', 'imap', 'other']) await addProxy(a.url, proxy);
  await addToxic(a.url, 'smtp', 'mailstorm-latency_downstream');
  await addToxic(a.url, 'smtp', 'mailstorm-leak_bandwidth');
  await addToxic(a.url, 'smtp', 'theirs', 42);
  await addToxic(a.url, 'imap', 'mailstorm-leak_stall_1');
  await addToxic(a.url, 'other', 'mailstormish'); // not the prefix: someone else's
  await addProxy(b.url, 'smtp');
  await addToxic(b.url, 'smtp', 'mailstorm-latency_downstream');
  const dir = await tempDir(t);

  const r = await runCli(['chaos', 'clean', '--toxiproxy', a.url], dir);
  t.is(r.code, 0, r.stderr);
  t.deepEqual(await toxics(a.url, 'smtp'), ['theirs']);
  t.deepEqual(await toxics(a.url, 'imap'), []);
  t.deepEqual(await toxics(a.url, 'other'), ['mailstormish']);
  const theirs = (await api(a.url, 'GET', '/proxies/smtp/toxics/theirs')) as ToxicJson;
  t.is(theirs.attributes.latency, 42, 'the foreign toxic is unchanged');
  t.deepEqual(await toxics(b.url, 'smtp'), ['mailstorm-latency_downstream'], 'the other Toxiproxy is untouched');
  t.regex(r.stdout, /^ {2}imap: removed mailstorm-leak_stall_1$/m);
  t.regex(r.stdout, /^ {2}smtp: removed mailstorm-latency_downstream, mailstorm-leak_bandwidth \(left 1 other toxic\(s\): theirs\)$/m);
  t.notRegex(r.stdout, /other:/, 'a proxy with nothing removed is not listed');
  t.regex(r.stdout, /removed 3 mailstorm toxic\(s\) from 2 of 3 proxies/);

  const again = await runCli(['chaos', 'clean', '--toxiproxy', a.url], dir);
  t.is(again.code, 0, again.stderr);
  t.regex(again.stdout, new RegExp(`nothing to clean: no mailstorm-\\* toxics on the 3 proxies of ${a.url}`));
  t.deepEqual(await toxics(a.url, 'smtp'), ['theirs']);
});

test('--config: cleans the toxiproxy a remote stack config names; a different non-local --toxiproxy is refused', async (t) => {
  await using a = await new FakeToxiproxy().start();
  await addProxy(a.url, 'smtp');
  await addToxic(a.url, 'smtp', 'mailstorm-latency_downstream');
  await addToxic(a.url, 'smtp', 'theirs');
  const dir = await tempDir(t);
  const config = path.join(dir, 'stack.yaml');
  await writeFile(config, `allow: [127.0.0.1]\nsubmission: { host: 127.0.0.1, port: 9 }\ntoxiproxy: ${a.url}\n`);

  const refused = await runCli(['chaos', 'clean', '--config', config, '--toxiproxy', 'http://toxiproxy.test.example:8474'], dir);
  t.is(refused.code, 2, refused.stderr);
  t.regex(refused.stderr, /--toxiproxy http:\/\/toxiproxy\.test\.example:8474: not on this machine and not the toxiproxy --config .* names/);
  t.deepEqual(await toxics(a.url, 'smtp'), ['mailstorm-latency_downstream', 'theirs'], 'refused before anything changed');

  const r = await runCli(['chaos', 'clean', '--config', config], dir);
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, /smtp: removed mailstorm-latency_downstream/);
  t.deepEqual(await toxics(a.url, 'smtp'), ['theirs']);
});

const usage: { title: string; args: string[]; code: number; message: RegExp }[] = [
  { title: 'no --toxiproxy', args: [], code: 2, message: /chaos clean needs --toxiproxy <url>/ },
  { title: 'not a URL', args: ['--toxiproxy', 'toxiproxy:8474'], code: 2, message: /--toxiproxy must be an http:\/\/ or https:\/\/ URL/ },
  { title: 'not parseable', args: ['--toxiproxy', 'nope'], code: 2, message: /"nope" is not a URL/ },
  { title: 'off this machine without a config', args: ['--toxiproxy', 'http://toxiproxy.test.example:8474'], code: 2, message: /talks only to a Toxiproxy on this machine \(127\.0\.0\.1, localhost, ::1\) or to one a remote stack config names; add --config/ },
  { title: 'unreadable config', args: ['--config', 'missing.yaml'], code: 2, message: /--config missing\.yaml: cannot read the file/ },
];

for (const c of usage) {
  test(`${c.title}: exit ${c.code} naming the problem`, async (t) => {
    const r = await runCli(['chaos', 'clean', ...c.args], await tempDir(t));
    t.is(r.code, c.code, r.stderr);
    t.regex(r.stderr, c.message);
    t.notRegex(r.stderr, /\n\s+at /, 'no stack trace');
  });
}

test('an API that is not there: exit 3 naming the URL', async (t) => {
  const gone = await new FakeToxiproxy().start();
  const url = gone.url;
  await gone.stop();
  const r = await runCli(['chaos', 'clean', '--toxiproxy', url], await tempDir(t));
  t.is(r.code, 3, r.stderr);
  t.true(r.stderr.includes(`cannot list the proxies of the Toxiproxy API at ${url}`), r.stderr);
  t.notRegex(r.stderr, /\n\s+at /);
});

test('--help explains what it removes and the exit codes', async (t) => {
  const r = await runCli(['chaos', 'clean', '--help'], await tempDir(t));
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, /Usage: mailstorm chaos clean \[options\]/);
  t.regex(r.stdout, /--toxiproxy <url>/);
  t.regex(r.stdout, /--config <file>/);
  t.regex(r.stdout, /removes each toxic named mailstorm-\*/);
  t.regex(r.stdout, /Exit: 0 cleaned \(or nothing to clean\), 2 bad input, 3/);
});

/** The chaos fixture in a temp folder. */
async function chaosFixture(t: ExecutionContext): Promise<{ dir: string; scenario: string }> {
  const dir = await tempDir(t);
  return { dir, scenario: await copyFixture(dir, 'chaos-scenario.ts', 'chaos.ts') };
}

test('a run after a killed one: 409 names the leftover and the clean command; after chaos clean the run passes and rolls back', async (t) => {
  await using tp = await new FakeToxiproxy().start();
  const smtp = await addProxy(tp.url, 'smtp');
  const port = Number(smtp.listen.split(':').at(-1));
  await addToxic(tp.url, 'smtp', 'mailstorm-latency_downstream', 7); // the killed run's
  await addToxic(tp.url, 'smtp', 'theirs');
  const { dir, scenario } = await chaosFixture(t);
  const config = path.join(dir, 'stack.yaml');
  await writeFile(config, [
    'allow: [127.0.0.1]',
    'submission: { host: 127.0.0.1, port: 9 }',
    `toxiproxy: ${tp.url}`,
    `proxies: { smtp: { listen: { host: 127.0.0.1, port: ${port} }, upstream: { host: 127.0.0.1, port: 9 } } }`,
    '',
  ].join('\n'));
  const run = ['run', scenario, '--stack', 'remote', '--config', config, '--quiet'];

  const blocked = await runCli([...run, '--out', path.join(dir, 'blocked')], dir);
  t.is(blocked.code, 3, blocked.stderr);
  const said = blocked.stdout + blocked.stderr;
  t.regex(said, /toxic "mailstorm-latency_downstream" on proxy "smtp" \(409 Conflict\)/);
  t.regex(said, /leftover of an earlier mailstorm run that was killed/);
  t.true(said.includes(`mailstorm chaos clean --toxiproxy ${tp.url}`), said);
  t.deepEqual(await toxics(tp.url, 'smtp'), ['mailstorm-latency_downstream', 'theirs'], 'the failed run left the leftover as it was');

  const clean = await runCli(['chaos', 'clean', '--toxiproxy', tp.url], dir);
  t.is(clean.code, 0, clean.stderr);
  t.deepEqual(await toxics(tp.url, 'smtp'), ['theirs']);

  const passed = await runCli([...run, '--out', path.join(dir, 'passed')], dir);
  t.is(passed.code, 0, passed.stdout + passed.stderr);
  const result = JSON.parse(await readFile(path.join(dir, 'passed', 'result.json'), 'utf8')) as { chaos: { action: string; toxic?: string }[] };
  t.deepEqual(result.chaos.filter((e) => e.toxic).map((e) => [e.action, e.toxic]), [['add', 'latency_downstream'], ['remove', 'latency_downstream']]);
  t.deepEqual(await toxics(tp.url, 'smtp'), ['theirs'], 'the run rolled its own toxic back');
});
