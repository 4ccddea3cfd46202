// The docker stack's plain parts, without docker: the policy decision Dovecot's hook gets, the
// Postfix log parser that accounts deliveries to Dovecot, the --config checks, per-user
// mailstore routes, how mailstore seeding is mapped, and the OAuth2 introspection answers.
import test from 'ava';
import { InputError } from '../../engine/errors.ts';
import { ManualClock, systemClock } from '../../engine/clock.ts';
import { MemoryEventLog } from '../../engine/events.ts';
import { seededRandom } from '../../engine/random.ts';
import { MemoryLedger } from '../../engine/ledger/memory-ledger.ts';
import { MetricsRegistry } from '../../engine/metrics/registry.ts';
import { Directory } from '../../directory/index.ts';
import { decidePolicy } from '../../stack/docker/auth-policy-decision.ts';
import { PostfixLogLedger } from '../../stack/docker/postfix-log-ledger.ts';
import { postfixLogCollector } from '../../stack/docker/log-collector.ts';
import type { StartedMailContainer } from '../../stack/docker/mail-container.ts';
import { dockerConfig } from '../../stack/docker/config.ts';
import { applyTestcontainersDefaults } from '../../stack/docker/testcontainers-env.ts';
import { MailboxRoutes } from '../../stack/docker/mailbox-routes.ts';
import { mailSettings } from '../../stack/docker/spec-settings.ts';
import { maildirOf } from '../../stack/docker/corrupt-message.ts';
import { postfwdRules } from '../../stack/docker/postfwd-rules.ts';
import { TokenIntrospectionServer } from '../../stack/docker/token-introspection-server.ts';
import { OAuthTokens } from '../../directory/index.ts';

function directory(threshold = 2) {
  return new Directory({
    clock: new ManualClock(0), random: seededRandom(3), population: { organisations: [{ name: 'T', users: 3 }] },
    lockout: { policy: 'ad', threshold, lockoutDurationMs: 0 }, helpdesk: false,
  });
}

test('the policy answer follows the directory: 0 for the right password, -1 for wrong, then locked', (t) => {
  const dir = directory();
  const user = dir.user(dir.addressAt(0))!;
  t.is(decidePolicy(dir, { login: user.address, password: user.password }).status, 0);
  t.like(decidePolicy(dir, { login: user.address, password: 'x' }), { status: -1, outcome: 'bad-password' });
  t.like(decidePolicy(dir, { login: user.address, password: 'y' }), { status: -1 });
  t.like(decidePolicy(dir, { login: user.address, password: user.password }), { status: -1, outcome: 'locked', msg: 'Account locked' });
  t.like(decidePolicy(dir, { login: user.address }), { status: -1, outcome: 'malformed' });
});

test('Postfix log lines become ledger arrivals and bounces for the mail that carried a ledger id', (t) => {
  const clock = new ManualClock(1_000);
  const ledger = new MemoryLedger({ metrics: new MetricsRegistry({ startedAt: 0 }), clock });
  ledger.expect({ id: 'm-1', flow: 'f', recipients: ['a@nhs.test', 'b@nhs.test'], acceptedAt: 1_000 });
  const parser = new PostfixLogLedger(ledger, clock, 'main');
  parser.line('Nov 23 17:00:01 mail postfix/cleanup[201]: 15F90178C3F: info: header X-Mailstorm-Id: m-1 from unknown[172.17.0.1]; from=<x@nhs.test> to=<a@nhs.test> proto=ESMTP helo=<h>');
  parser.line('Nov 23 17:00:01 mail postfix/lmtp[202]: 15F90178C3F: to=<a@nhs.test>, relay=mail[private/dovecot-lmtp], delay=0.07, delays=0.04/0.01/0.01/0.02, dsn=2.0.0, status=sent (250 2.0.0 <a@nhs.test> Saved)');
  parser.line('Nov 23 17:00:01 mail postfix/lmtp[202]: 15F90178C3F: to=<b@nhs.test>, relay=mail[private/dovecot-lmtp], delay=0.07, dsn=5.2.2, status=bounced (host said: 552 5.2.2 quota)');
  parser.line('Nov 23 17:00:01 mail postfix/lmtp[202]: 99999999999: to=<c@nhs.test>, relay=x, dsn=2.0.0, status=sent (250 ok)');
  parser.line('Nov 23 17:00:01 mail postfix/qmgr[186]: 15F90178C3F: removed');
  const summary = ledger.reconcile({ final: true, now: 2_000 });
  t.like(summary, { delivered: 1, bounced: 1, lost: 0, unexpected: 0 });
});

// Postfix's log as the file holds it: two messages, the second reusing the first's queue id
// after it was removed, and one delivery of m-2 logged twice (a real duplicate).
const POSTFIX_FILE = [
  'Nov 23 17:00:01 mail postfix/cleanup[201]: 15F90178C3F: info: header X-Mailstorm-Id: m-1 from unknown[172.17.0.1]',
  'Nov 23 17:00:01 mail postfix/lmtp[202]: 15F90178C3F: to=<a@nhs.test>, relay=mail[private/dovecot-lmtp], dsn=2.0.0, status=sent (250 2.0.0 <a@nhs.test> Saved)',
  'Nov 23 17:00:01 mail postfix/lmtp[202]: 15F90178C3F: to=<b@nhs.test>, relay=mail[private/dovecot-lmtp], dsn=2.0.0, status=sent (250 2.0.0 <b@nhs.test> Saved)',
  'Nov 23 17:00:01 mail postfix/qmgr[186]: 15F90178C3F: removed',
  'Nov 23 17:00:02 mail postfix/cleanup[201]: 15F90178C3F: info: header X-Mailstorm-Id: m-2 from unknown[172.17.0.1]',
  'Nov 23 17:00:02 mail postfix/lmtp[202]: 15F90178C3F: to=<a@nhs.test>, relay=mail[private/dovecot-lmtp], dsn=2.0.0, status=sent (250 2.0.0 <a@nhs.test> Saved)',
  'Nov 23 17:00:02 mail postfix/lmtp[203]: 15F90178C3F: to=<a@nhs.test>, relay=mail[private/dovecot-lmtp], dsn=2.0.0, status=sent (250 2.0.0 <a@nhs.test> Saved)',
  'Nov 23 17:00:02 mail postfix/lmtp[202]: 15F90178C3F: to=<b@nhs.test>, relay=mail[private/dovecot-lmtp], dsn=5.2.2, status=bounced (host said: 552 5.2.2 quota)',
];

test('reading Postfix\'s log file again counts only what the live stream missed, duplicates included', (t) => {
  const clock = new ManualClock(1_000);
  const ledger = new MemoryLedger({ metrics: new MetricsRegistry({ startedAt: 0 }), clock });
  for (const id of ['m-1', 'm-2']) ledger.expect({ id, flow: 'f', recipients: ['a@nhs.test', 'b@nhs.test'], acceptedAt: 1_000 });
  const parser = new PostfixLogLedger(ledger, clock, 'main');
  // the stream carried the first message's lines and then broke off
  for (const line of POSTFIX_FILE.slice(0, 3)) parser.line(line);
  t.is(ledger.outstanding(), 2);
  t.is(parser.recover(POSTFIX_FILE), 3);
  t.like(ledger.reconcile({ final: true, now: 2_000 }), { expected: 4, delivered: 3, bounced: 1, duplicated: 1, lost: 0 });
  // a second reading finds nothing new
  t.is(parser.recover(POSTFIX_FILE), 0);
});

test('after the drain, the collector reads the file of each MTA whose stream left mail outstanding, and says so', async (t) => {
  const ledger = new MemoryLedger({ metrics: new MetricsRegistry({ startedAt: 0 }), clock: systemClock });
  const events = new MemoryEventLog(0);
  for (const id of ['m-1', 'm-2']) ledger.expect({ id, flow: 'f', recipients: ['a@nhs.test', 'b@nhs.test'], acceptedAt: systemClock.now() });
  const parser = new PostfixLogLedger(ledger, systemClock, 'main');
  const asked: string[][] = [];
  const container = { role: 'mta', exec: async (command: string[]) => (asked.push(command), POSTFIX_FILE.join('\n') + '\n') } as unknown as StartedMailContainer;
  const collector = postfixLogCollector([{ container, parser }], ledger, systemClock, events);
  const drain = await collector.collect({ drainMs: 50, signal: new AbortController().signal });
  t.true(drain.drained);
  t.deepEqual(asked, [['cat', '/var/log/postfix.log']]);
  t.deepEqual(events.all().map((e) => [e.type, e['deliveries'], e['outstanding']]), [['postfix_log_recovered', 5, 0]]);
  t.like(ledger.reconcile({ final: true, now: systemClock.now() }), { delivered: 3, bounced: 1, duplicated: 1, lost: 0 });
});

test('--config for the docker stack: defaults, and errors that name the field', (t) => {
  t.deepEqual(dockerConfig(undefined), { build: 'missing', release: 'bookworm', toxiproxy: 'auto', tls: 'none', auth: 'password' });
  t.is(dockerConfig({ auth: 'oauth2' }).auth, 'oauth2');
  t.throws(() => dockerConfig({ auth: 'kerberos' }), { instanceOf: InputError, message: 'docker stack config: auth must be one of password, oauth2, got "kerberos"' });
  t.is(dockerConfig({ tls: 'implicit' }).tls, 'implicit');
  t.throws(() => dockerConfig({ tls: 'ssl' }), { instanceOf: InputError, message: 'docker stack config: tls must be one of starttls, implicit, none, got "ssl"' });
  t.is(dockerConfig({ release: 'trixie' }).release, 'trixie');
  t.throws(() => dockerConfig({ release: 'sid' }), { instanceOf: InputError, message: /release must be one of bookworm, trixie, got "sid"/ });
  t.like(dockerConfig({ mirror: 'http://mirror.internal/debian', toxiproxy: 'fake' }), { mirror: 'http://mirror.internal/debian', toxiproxy: 'fake' });
  t.throws(() => dockerConfig({ toxiproxy: 'maybe' }), { message: /toxiproxy must be one of auto, real, fake/ });
  t.throws(() => dockerConfig({ mirorr: 'x' }), { message: /unknown field "mirorr"/ });
  t.throws(() => dockerConfig({ mirror: 'deb.debian.org' }), { message: /mirror must be an http/ });
});

test('testcontainers defaults are filled in only when unset', (t) => {
  const env: NodeJS.ProcessEnv = { TESTCONTAINERS_HOST_OVERRIDE: 'docker.internal' };
  t.deepEqual(applyTestcontainersDefaults(env), ['TESTCONTAINERS_RYUK_DISABLED']);
  t.is(env.TESTCONTAINERS_HOST_OVERRIDE, 'docker.internal');
  t.is(env.TESTCONTAINERS_RYUK_DISABLED, 'true');
});

test('mailbox routes: a moved user goes to the new store at once; settled waits for commits already under way', async (t) => {
  const routes = new MailboxRoutes(['source', 'target'], 'source');
  t.is(routes.storeOf('A@nhs.test'), 'source');
  let finish: (value: string) => void = () => undefined;
  const commit = routes.track('a@nhs.test', new Promise<string>((resolve) => (finish = resolve)));
  routes.route('A@nhs.test', 'target');
  t.is(routes.storeOf('a@nhs.test'), 'target');
  let settled = false;
  const waiting = routes.settled('a@nhs.test').then(() => (settled = true));
  await new Promise((r) => setImmediate(r));
  t.false(settled, 'a commit to the old store is still under way');
  finish('250 saved');
  await waiting;
  t.is(await commit, '250 saved');
  await routes.settled('nobody@nhs.test'); // nothing under way: resolves at once
  routes.route('a@nhs.test', 'source');
  t.is(routes.storeOf('a@nhs.test'), 'source');
  t.throws(() => routes.route('a@nhs.test', 'archive'), { message: /mailstore "archive" is not in this stack/ });
});

test('mailbox seeding and corruption are accepted on the docker stack and stated in its notes', (t) => {
  const settings = mailSettings({
    mailstores: [{ name: 'source', seedMessages: { median: 2, sigma: 1, sizeMedianBytes: 3000 }, corruptMailboxes: 1 }, { name: 'target', corruptShare: 0.1 }],
    deliverTo: 'source',
  }, 'nhs.test');
  t.deepEqual(settings.stores, ['source', 'target']);
  t.is(settings.deliverTo, 'source');
  t.true(settings.notes.some((n) => n.includes('mailstores[source]') && n.includes('IMAP APPEND')));
  t.true(settings.notes.some((n) => n.includes('mailstores[source]') && n.includes('Maildir file')));
  t.true(settings.notes.some((n) => n.includes('mailstores[target]') && n.includes('not applied')));
  t.is(maildirOf('Ravi.Obi.8@NHS.test'), '/var/mail/vhosts/nhs.test/ravi.obi.8/Maildir');
  t.throws(() => maildirOf('../etc@nhs.test'), { message: /cannot place the Maildir/ });
});

test('postfwd rules: storm protection for lists of minRecipients or more, scaled windows, and the per-sender rate', (t) => {
  const dir = new Directory({
    clock: new ManualClock(0), random: seededRandom(3), population: { organisations: [{ name: 'T', users: 30 }] },
    lists: [{ address: 'everyone@nhs.test', members: 'all' }], lockout: { policy: 'ad', threshold: 5, lockoutDurationMs: 0 }, helpdesk: false,
  });
  const storm = { minRecipients: 30, minReplyAlls: 10, windowMs: 60_000, blockMs: 360_000 };
  const rules = postfwdRules({ stormProtection: storm, perSenderPerMinute: 12 }, dir);
  const list = dir.lists()[0]!;
  t.true(rules.content.includes(`recipient==${list} ; action=rate(recipient/11/60/550 5.7.1 Reply-all storm protection`), rules.content);
  t.true(rules.content.includes('protocol_state==DATA ; action=rate(sender/12/60/450 4.7.1 Sender rate limit exceeded'));
  t.true(rules.notes.some((n) => n.includes('approximated') && n.includes('blockMs=360 s')));
  // A list below the threshold is never protected, as on Exchange Online; nothing asked, no postfwd.
  const small = postfwdRules({ stormProtection: { ...storm, minRecipients: 31 } }, dir);
  t.false(small.content.includes('STORM'));
  t.true(small.notes.some((n) => n.includes('no list has 31 or more members')));
  t.is(postfwdRules({}, dir).content, '');
});

test('token introspection answers Dovecot: the account\'s current token is active with its address; unknown and replaced ones are not', async (t) => {
  const tokens = new OAuthTokens(seededRandom(5));
  await using server = await new TokenIntrospectionServer({ tokens }).start();
  const ask = async (token: string) => {
    const res = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token }).toString() });
    return res.json() as Promise<Record<string, unknown>>;
  };
  const token = tokens.tokenFor('Alice@NHS.test');
  t.deepEqual(await ask(token), { active: true, username: 'alice@nhs.test', token_type: 'Bearer' });
  t.deepEqual(await ask('ms-at.not-issued'), { active: false });
  tokens.rotate('alice@nhs.test');
  t.deepEqual(await ask(token), { active: false }, 'the replaced token');
  t.like(await ask(tokens.tokenFor('alice@nhs.test')), { active: true, username: 'alice@nhs.test' });
  // a Bearer header is read as well (introspection_mode = auth)
  const viaHeader = await fetch(server.url, { method: 'POST', headers: { authorization: `Bearer ${tokens.tokenFor('alice@nhs.test')}` } });
  t.like(await viaHeader.json(), { active: true });
});
