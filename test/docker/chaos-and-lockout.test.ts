// A toxic added through the chaos layer's Toxiproxy client slows real Postfix traffic, and a
// real Dovecot login is locked by mailstorm's policy (via auth_policy_server_url) after N bad
// passwords.
import test from 'ava';
import nodemailer from 'nodemailer';
import { ImapFlow } from 'imapflow';
import { LEDGER_HEADER } from '../../engine/ledger/types.ts';
import { ToxiproxyApi } from '../../chaos/toxiproxy-api.ts';
import { dockerProvider } from '../../stack/docker/index.ts';
import { eventually, imagesReady, leftovers, SMALL_POPULATION, stackOptions } from './helpers.ts';

test.before(async () => {
  await imagesReady();
});

test.after.always('no container or network labelled mailstorm is left', async (t) => {
  t.deepEqual(await leftovers(), []);
});

const LATENCY_MS = 700;

test('a latency toxic on the submission proxy slows real Postfix replies, and mail still arrives', async (t) => {
  const options = await stackOptions({ population: SMALL_POPULATION });
  await using stack = await dockerProvider.start(options);
  const dir = stack.directory!;
  const alice = dir.user(dir.addressAt(0))!;
  const send = async (id: string) => {
    options.ledger.expect({ id, flow: 'test', recipients: [dir.addressAt(1)], acceptedAt: Date.now() });
    const transport = nodemailer.createTransport({
      host: '127.0.0.1', port: stack.endpoints.submission.port, secure: false, ignoreTLS: true,
      auth: { user: alice.address, pass: alice.password },
    });
    const started = performance.now();
    try {
      await transport.sendMail({ from: alice.address, to: dir.addressAt(1), text: id, headers: { [LEDGER_HEADER]: id } });
    } finally {
      transport.close();
    }
    return performance.now() - started;
  };
  const api = new ToxiproxyApi(stack.endpoints.toxiproxy);
  await api.addToxic({ proxy: 'submission', name: 'slow', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: LATENCY_MS, jitter: 0 } });
  const slowed = await send('slow-1');
  // Greeting, EHLO, AUTH, MAIL, RCPT, DATA, end of data: each reply waits for the toxic, so the
  // dialogue cannot finish in less than several latencies, however fast the machine is.
  t.true(slowed >= LATENCY_MS * 5, `a send through the toxic took ${Math.round(slowed)} ms`);
  await api.removeToxic('submission', 'slow');
  await send('fast-1');
  t.true(await eventually(() => options.ledger.outstanding() === 0), 'both messages reached the sink');
  t.is(options.ledger.reconcile({ final: true, now: Date.now() }).delivered, 2);
});

test('a real Dovecot IMAP login is locked by the directory policy after N bad passwords', async (t) => {
  const threshold = 3;
  const options = await stackOptions({ population: SMALL_POPULATION, lockout: { policy: 'ad', threshold, lockoutDurationMs: 0 } });
  await using stack = await dockerProvider.start(options);
  const dir = stack.directory!;
  const user = dir.user(dir.addressAt(2))!;
  const login = async (pass: string) => {
    const imap = new ImapFlow({ host: '127.0.0.1', port: stack.endpoints.imap.port, secure: false, auth: { user: user.address, pass }, logger: false });
    await imap.connect();
    await imap.logout();
  };
  await login(user.password); // the right password works before any failure
  for (let i = 0; i < threshold; i++) {
    const error = await t.throwsAsync(login(`wrong-${i}`));
    t.true((error as { authenticationFailed?: boolean }).authenticationFailed, `bad password ${i + 1} refused as an authentication failure`);
  }
  // Locked now: even the right password is refused, by Dovecot, on the policy's word.
  await t.throwsAsync(login(user.password));
  t.true(dir.user(user.address)!.locked);
  const stats = dir.stats();
  t.is(stats.accountsLocked, 1);
  t.is(stats.failures.user, threshold);
  // The same directory answers Postfix's SASL: the locked user cannot submit either.
  const transport = nodemailer.createTransport({
    host: '127.0.0.1', port: stack.endpoints.submission.port, secure: false, ignoreTLS: true, auth: { user: user.address, pass: user.password },
  });
  const refused = await t.throwsAsync(transport.sendMail({ from: user.address, to: dir.addressAt(0), text: 'x' }));
  t.is((refused as { responseCode?: number }).responseCode, 535);
  transport.close();
  // An administrator's unlock lets the right password in again.
  dir.unlock(user.address);
  await t.notThrowsAsync(login(user.password));
});
