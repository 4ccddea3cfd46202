// mailstorm fakes up: the embedded stack as standalone servers any client can be pointed at
// (swaks, curl, Thunderbird, k6). Prints each endpoint with an example and runs until Ctrl-C.
import { Command, Option } from 'commander';
import { systemClock } from '../../engine/clock.ts';
import { InputError } from '../../engine/errors.ts';
import { MemoryEventLog } from '../../engine/events.ts';
import { MemoryLedger } from '../../engine/ledger/memory-ledger.ts';
import type { MetricsSink } from '../../engine/metrics/types.ts';
import { seededRandom } from '../../engine/random.ts';
import { ACTIVESYNC_PATH } from '../../fakes/activesync/index.ts';
import { startEmbeddedStack } from '../../stack/embedded/index.ts';
import { loadStackConfig } from '../../stack/index.ts';
import type { LockoutPolicyName, Stack } from '../../stack/types.ts';
import { k6EnvLine, writeAccounts } from '../fakes-k6.ts';
import { watchParent } from '../parent-watch.ts';
import type { CommandContext } from '../io.ts';

interface FakesUpOptions {
  users: number;
  lockout: LockoutPolicyName;
  portBase?: number;
  seed: number;
  accountsOut?: string;
  for?: string;
  config?: string;
}

// A long-running fake keeps no metrics history: nothing reads it.
const discardMetrics: MetricsSink = { declare() {}, count() {}, rate() {}, gauge() {}, trend() {} };

export function fakesCommand(cli: CommandContext): Command {
  const { io } = cli;
  const fakes = new Command('fakes').description('run the embedded fakes as standalone servers');
  fakes
    .command('up')
    .description('start the embedded mail stack, print its endpoints and run until Ctrl-C')
    .option('--users <n>', 'users in the generated population', wholeNumber('--users', 1), 200)
    .addOption(new Option('--lockout <policy>', 'lockout policy').choices(['ad', 'smart', 'none']).default('ad'))
    .option('--port-base <n>', 'fixed ports: the fault proxy API on N, then smtp N+1, submission N+2, imap N+3, activesync N+4, sink N+5, sink-lmtp N+6', wholeNumber('--port-base', 1024))
    .option('--seed <n>', 'seed of the generated population', wholeNumber('--seed', 0), 1)
    .option('--accounts-out <file>', 'write the whole population (address, password, organisation, devices, lists) as JSON, or CSV for a .csv name')
    .option('--for <engine>', 'print the environment line for an exported script (k6)')
    .option('--config <file>', 'the embedded stack\'s settings (YAML): tls: starttls|implicit|none, auth: password|oauth2')
    .action(async (options: FakesUpOptions) => {
      if (options.portBase !== undefined && options.portBase + 10 > 65535) throw new InputError('--port-base must leave room for 10 ports below 65536');
      const config = options.config === undefined ? undefined : await loadStackConfig(options.config, 'embedded');
      const stack = await startEmbeddedStack(
        {
          spec: {
            population: { organisations: [{ name: 'Fake Trust', users: options.users }] },
            lists: [{ address: `everyone@nhs.test`, members: 'all' }],
            lockout: { policy: options.lockout },
          },
          clock: systemClock,
          random: seededRandom(options.seed),
          metrics: discardMetrics,
          ledger: new MemoryLedger({ metrics: discardMetrics, clock: systemClock }),
          events: new MemoryEventLog(Date.now()),
          // with tls on, the CA is written here (embedded-ca.pem), named in full in the TLS line
          logDir: process.cwd(),
          ...(config && { config }),
        },
        options.portBase === undefined ? {} : { portBase: options.portBase },
      );
      if (options.for !== undefined && options.for !== 'k6') throw new InputError(`--for: only "k6" is known, got "${options.for}"`);
      const tokens = stack.oauthTokens;
      if (options.accountsOut !== undefined && stack.directory) io.stdout.write(`wrote ${await writeAccounts(stack.directory, options.accountsOut, tokens)} accounts to ${options.accountsOut}\n`);
      if (options.for === 'k6') io.stdout.write(`k6 env: ${k6EnvLine(stack.endpoints, options.accountsOut, `fakes-${Date.now()}`, tokens ? 'oauth2' : 'password')}\n`);
      for (const note of stack.description.notes.filter((n) => n.startsWith('TLS: '))) io.stdout.write(`${note}\n`);
      if (tokens) io.stdout.write(`${tokensLine(options.accountsOut)}\n`);
      io.stdout.write(describe(stack));
      await untilSignal();
      io.stdout.write('stopping...\n');
      await stack.stop();
      io.stdout.write('stopped\n');
    });
  return fakes;
}

/** Where an OAuth2-only stack's tokens are: passwords are refused, so a client needs one. */
function tokensLine(accountsOut: string | undefined): string {
  const where = accountsOut === undefined
    ? 'give --accounts-out FILE to have every account\'s token written there; the user below shows one'
    : `each account's token is in ${accountsOut} (field "token"); the user below shows one`;
  return `auth: oauth2: passwords are refused (XOAUTH2 on submission and IMAP, Bearer on ActiveSync); ${where}`;
}

function describe(stack: Stack): string {
  const { endpoints } = stack;
  const directory = stack.directory;
  const user = directory?.user(directory.addressAt(0));
  const address = user?.address ?? 'user@nhs.test';
  const password = user?.password ?? 'secret';
  const token = stack.oauthTokens?.tokenFor(address);
  const hp = (p: { host: string; port: number }) => `${p.host}:${p.port}`;
  const scheme = (name: string, plain: string) => (endpoints.tls?.[name]?.mode === 'implicit' ? `${plain}s` : plain);
  // curl takes a token for SASL XOAUTH2 (--oauth2-bearer) where the stack refuses passwords
  const imapLogin = token === undefined ? `--user '${address}:${password}'` : `--user '${address}:' --login-options AUTH=XOAUTH2 --oauth2-bearer '${token}'`;
  const httpLogin = token === undefined ? `-u '${address}:${password}'` : `-H 'Authorization: Bearer ${token}'`;
  const submit = token === undefined
    ? `swaks --server ${hp(endpoints.submission)} --auth PLAIN --auth-user '${address}' --auth-password '${password}' --to everyone@nhs.test`
    : `curl --url '${scheme('submission', 'smtp')}://${hp(endpoints.submission)}' --mail-from '${address}' --mail-rcpt everyone@nhs.test --user '${address}:' --login-options AUTH=XOAUTH2 --oauth2-bearer '${token}' -T message.eml`;
  const rows: [string, string, string][] = [
    ['smtp', hp(endpoints.smtp), `swaks --server ${hp(endpoints.smtp)} --from a@example.test --to ${address}`],
    ['submission', hp(endpoints.submission), submit],
    ['imap', hp(endpoints.imap), `curl --url '${scheme('imap', 'imap')}://${hp(endpoints.imap)}/INBOX' ${imapLogin}`],
    ['activesync', endpoints.activesync, `curl ${httpLogin} -X POST '${endpoints.activesync}${ACTIVESYNC_PATH}?Cmd=Ping&User=${address}&DeviceId=dev1&DeviceType=iPhone'`],
    ['toxiproxy', endpoints.toxiproxy, `curl ${endpoints.toxiproxy}/proxies`],
  ];
  for (const [name, endpoint] of Object.entries(endpoints.extra)) {
    if (name.startsWith('sink')) rows.push([name, hp(endpoint), `swaks --server ${hp(endpoint)}${name.endsWith('lmtp') ? ' --protocol LMTP' : ''} --to anyone@nhs.test --header 'X-Mailstorm-Id: test-1'`]);
    else rows.push([name, hp(endpoint), '']);
  }
  const width = Math.max(...rows.map((r) => r[0].length));
  const lines = rows.map(([name, endpoint, example]) => `  ${name.padEnd(width)}  ${endpoint}${example ? `\n  ${' '.repeat(width)}    e.g. ${example}` : ''}`);
  return [
    `mailstorm fakes: ${directory?.userCount ?? 0} users in ${directory?.domain ?? 'nhs.test'}, list everyone@nhs.test; a user: ${address} / ${token === undefined ? password : `token ${token}`}`,
    ...lines,
    'ready; Ctrl-C to stop',
    '',
  ].join('\n');
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    // The fakes stop too when the command that started them has gone (npx does not pass SIGTERM on).
    const parent = watchParent(() => done());
    const done = () => {
      parent.stop();
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}

function wholeNumber(flag: string, min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InputError(`${flag} must be a whole number >= ${min}, got "${value}"`);
    return n;
  };
}
