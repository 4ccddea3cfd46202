import test from 'ava';
import { compressedClock, systemClock } from '../../engine/clock.ts';
import { createSmtpClient } from '../../engine/clients/smtp-client.ts';
import { embeddedProvider } from '../../stack/embedded/index.ts';
import { eventually } from '../fakes-smtp/helpers.ts';
import { stackOptions } from './helpers.ts';
import { ImapFlow } from 'imapflow';
import type { Stack } from '../../stack/types.ts';

test('routeUser moves one user\'s mail to another store; others stay on the default', async (t) => {
  const options = stackOptions({
    population: { organisations: [{ name: 'Small Trust', users: 10 }] },
    mailstores: [{ name: 'source' }, { name: 'target' }],
    deliverTo: 'source',
  });
  await using stack = await embeddedProvider.start(options);
  const moved = stack.directory!.addressAt(1);
  const stayed = stack.directory!.addressAt(2);
  stack.routeUser!(moved.toUpperCase(), 'target');
  t.throws(() => stack.routeUser!(moved, 'elsewhere'), { message: /no mailstore "elsewhere"/ });

  const client = createSmtpClient({ endpoints: stack.endpoints, ledger: options.ledger, metrics: options.metrics, clock: systemClock });
  t.like(await client.send({ from: 'x@elsewhere.test', to: [moved, stayed], flow: 'live' }), { ok: true });
  t.true(await eventually(() => options.ledger.outstanding() === 0));
  t.is(await inboxCount(stack.endpoints.proxies['imap-target']!.listen, moved, stack), 1);
  t.is(await inboxCount(stack.endpoints.imap, moved, stack), 0);
  t.is(await inboxCount(stack.endpoints.imap, stayed, stack), 1);
  t.is(await inboxCount(stack.endpoints.proxies['imap-target']!.listen, stayed, stack), 0);
  const summary = options.ledger.reconcile({ final: true, now: Date.now() });
  t.like(summary, { expected: 2, delivered: 2, lost: 0 });
  await client.close();
});

async function inboxCount(at: { host: string; port: number }, address: string, stack: Stack): Promise<number> {
  const user = stack.directory!.user(address)!;
  const client = new ImapFlow({ host: at.host, port: at.port, secure: false, logger: false, auth: { user: user.address, pass: user.password } });
  await client.connect();
  try {
    const status = await client.status('INBOX', { messages: true });
    return status ? (status.messages ?? -1) : -1;
  } finally {
    await client.logout().catch(() => {});
  }
}

test('corruptMailboxes marks exactly that many seeded mailboxes, spread over the population', async (t) => {
  const options = stackOptions({
    population: { organisations: [{ name: 'Small Trust', users: 100 }] },
    mailstores: [{ name: 'source', seedMessages: { median: 3, sigma: 0.5, sizeMedianBytes: 2000 }, corruptMailboxes: 2 }],
  });
  await using stack = await embeddedProvider.start(options);
  const directory = stack.directory!;
  const imapUser = async (index: number) => {
    const user = directory.user(directory.addressAt(index))!;
    return user;
  };
  // users 25 and 75 are the two evenly spread corrupt mailboxes: fetching them fails
  const fetchAll = async (index: number): Promise<boolean> => {
    const user = await imapUser(index);
    const client = new ImapFlow({ host: stack.endpoints.imap.host, port: stack.endpoints.imap.port, secure: false, logger: false, auth: { user: user.address, pass: user.password } });
    await client.connect();
    const lock = await client.getMailboxLock('INBOX');
    let ok = true;
    try {
      for await (const _ of client.fetch('1:*', { source: true })) void _;
    } catch {
      ok = false;
    } finally {
      lock.release();
      await client.logout().catch(() => {});
    }
    return ok;
  };
  t.false(await fetchAll(25));
  t.false(await fetchAll(75));
  t.true(await fetchAll(50));
});

test('with compressed policy time, delivery latency is still measured in wall-clock milliseconds', async (t) => {
  const options = { ...stackOptions({ population: { organisations: [{ name: 'Small Trust', users: 5 }] } }), clock: compressedClock(100_000) };
  await using stack = await embeddedProvider.start(options);
  const client = createSmtpClient({ endpoints: stack.endpoints, ledger: options.ledger, metrics: options.metrics, clock: systemClock });
  t.like(await client.send({ from: 'x@elsewhere.test', to: [stack.directory!.addressAt(0)], flow: 'live' }), { ok: true });
  t.true(await eventually(() => options.ledger.outstanding() === 0));
  await client.close();
  const latencies = options.metrics.records.filter((r) => r.name === 'delivery_latency').map((r) => r.value);
  t.is(latencies.length, 1);
  // one compressed millisecond would read as 100 s
  t.true((latencies[0] ?? Infinity) < 30_000, `latency ${latencies[0]} ms`);
});
