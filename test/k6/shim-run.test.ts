// The exported default functions run under a test-only k6-API shim against the embedded
// stack: SMTP mail sent through k6/x/tcp's dialogue is reconciled by the ledger, and the
// mass-lockout device loop sees the ActiveSync answers (401, then locked).
import test from 'ava';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveParams } from '../../harness/scenario/params.ts';
import { builtIns } from '../../scenarios/index.ts';
import { embeddedProvider } from '../../stack/embedded/index.ts';
import { exportK6 } from '../../k6/export.ts';
import { accountRows, accountsText, k6EnvLine } from '../../cli/fakes-k6.ts';
import { eventually } from '../fakes-smtp/helpers.ts';
import { stackOptions } from '../stack-embedded/helpers.ts';
import { loadScript } from './shim/load-script.ts';
import { state } from './shim/execution.ts';
import { recorded } from './shim/metrics.ts';
import { sentIds } from './shim/tcp.ts';
import type { DirectoryService } from '../../directory/types.ts';
import type { Endpoints } from '../../engine/endpoints.ts';

async function scriptFor(name: string, flows: string[]): Promise<string> {
  const definition = await builtIns.load(name);
  const { params } = resolveParams(definition, {});
  return (await exportK6({ definition, params: params as Record<string, unknown>, flows })).files['script.ts']!;
}

async function envFor(endpoints: Endpoints, directory: DirectoryService, only?: number): Promise<Record<string, string>> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mailstorm-k6-accounts-'));
  const file = path.join(dir, 'accounts.json');
  const rows = accountRows(directory);
  await writeFile(file, accountsText(only === undefined ? rows : rows.slice(only, only + 1), file));
  return Object.fromEntries(k6EnvLine(endpoints, file, 'run7').split(' ').map((kv) => kv.split('=') as [string, string]));
}

test.serial('smoke through the shim: every message k6 sent is delivered once by the ledger', async (t) => {
  const options = stackOptions({ population: { organisations: [{ name: 'T', users: 6 }] } });
  await using stack = await embeddedProvider.start(options);
  const script = await loadScript(await scriptFor('smoke', ['mail']), await envFor(stack.endpoints, stack.directory!));
  const mail = script['mail'] as () => Promise<void>;
  sentIds.length = 0;
  for (let i = 0; i < 12; i++) {
    state.scenario = { name: 'mail', iterationInTest: i };
    await mail();
  }
  t.deepEqual(sentIds.map((s) => s.id), Array.from({ length: 12 }, (_, i) => `run7-mail-${i}`));
  for (const s of sentIds) options.ledger.expect({ id: s.id, flow: 'mail', recipients: [s.to], acceptedAt: s.at });
  t.true(await eventually(() => options.ledger.outstanding() === 0, 10_000));
  t.like(options.ledger.reconcile({ final: true, now: Date.now() }), { expected: 12, delivered: 12, lost: 0, duplicated: 0, unexpected: 0 });
  t.is(recorded.filter((r) => r.name === 'k6_smtp_sent').length, 12);
  t.is(recorded.filter((r) => r.name === 'k6_smtp_failed').length, 0);
});

test.serial('mass-lockout devices through the shim: a stale device gets 401 until the account is locked', async (t) => {
  const options = stackOptions({ population: { organisations: [{ name: 'T', users: 3 }] }, lockout: { policy: 'ad' } });
  await using stack = await embeddedProvider.start(options);
  const script = await loadScript(await scriptFor('mass-lockout', ['devices']), await envFor(stack.endpoints, stack.directory!, 1));
  const devices = script['devices'] as () => Promise<void>;
  recorded.length = 0;
  for (let i = 0; i < 15; i++) {
    state.scenario = { name: 'devices', iterationInTest: i };
    await devices();
  }
  const answers = recorded.filter((r) => r.name === 'k6_activesync_answers').map((r) => `${r.tags['status']} ${r.tags['auth']}`);
  t.is(answers.length, 15);
  t.true(answers[0]!.startsWith('401 '), answers[0]);
  t.is(answers.at(-1), '403 locked');
  const firstLocked = answers.indexOf('403 locked');
  t.true(firstLocked > 0);
  t.true(answers.slice(0, firstLocked).every((a) => a.startsWith('401')), answers.join(', '));
  t.true(answers.slice(firstLocked).every((a) => a === '403 locked'), answers.join(', '));
  t.true(stack.directory!.user(stack.directory!.addressAt(1))!.locked);
});

test.serial('mass-lockout users through the shim: IMAP LOGIN with the real password succeeds and logs out', async (t) => {
  const options = stackOptions({ population: { organisations: [{ name: 'T', users: 3 }] } });
  await using stack = await embeddedProvider.start(options);
  const script = await loadScript(await scriptFor('mass-lockout', ['users']), await envFor(stack.endpoints, stack.directory!, 2));
  const users = script['users'] as () => Promise<void>;
  recorded.length = 0;
  for (let i = 0; i < 3; i++) await users();
  const logins = recorded.filter((r) => r.name === 'k6_imap_login_ok');
  t.deepEqual(logins.map((r) => r.value), [1, 1, 1]);
  t.is(recorded.filter((r) => r.name === 'k6_imap_login_time').length, 3);
  t.false(stack.directory!.user(stack.directory!.addressAt(2))!.locked);
});

test.serial('SUMMARY_FILE with {segment}: each runner names its own file, so runners can share a volume', async (t) => {
  const source = await scriptFor('mass-lockout', ['devices']);
  const names: string[] = [];
  for (const segment of ['0:1/3', '1/3:2/3', '2/3:1', '']) {
    const script = await loadScript(source, { SUMMARY_FILE: '/test/mailstorm-{segment}.json', ACCOUNTS_FILE: await accountsFile() });
    state.test.options = segment === '' ? {} : { executionSegment: segment, executionSegmentSequence: '0,1/3,2/3,1' };
    const files = (script['handleSummary'] as (d: unknown) => Record<string, string>)({ metrics: {} });
    const [name] = Object.keys(files);
    names.push(name!);
    t.is((JSON.parse(files[name!]!) as { segment: string }).segment, segment);
  }
  t.deepEqual(names, ['/test/mailstorm-0_1-3.json', '/test/mailstorm-1-3_2-3.json', '/test/mailstorm-2-3_1.json', '/test/mailstorm-all.json']);
  state.test.options = {};
});

async function accountsFile(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mailstorm-k6-accounts-'));
  const file = path.join(dir, 'accounts.json');
  await writeFile(file, JSON.stringify({ accounts: [{ address: 'a@t.test', password: 'p' }] }));
  return file;
}
