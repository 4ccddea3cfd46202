// Logins as real platforms ask for them, over real SMTP, IMAP and HTTP to the embedded fakes:
// a forced AUTH PLAIN or LOGIN on the submission port, and on a stack with auth: oauth2,
// SASL XOAUTH2 and Bearer with the account's token, a wrong token refused with the platform's
// codes and counted, and a refused token read again and tried once more.
import test from 'ava';
import { embeddedProvider } from '../../stack/embedded/index.ts';
import { createSmtpClient } from '../../engine/clients/smtp-client.ts';
import { createImapConnector } from '../../engine/clients/imap-client.ts';
import { createHttpClient } from '../../engine/clients/http-client.ts';
import { AccountAuth } from '../../engine/clients/auth/account-auth.ts';
import type { TokenSource } from '../../engine/clients/auth/types.ts';
import { systemClock } from '../../engine/clock.ts';
import { stackOptions } from '../stack-embedded/helpers.ts';
import { RecordingMetrics } from '../ledger/recording-metrics.ts';

const population = { organisations: [{ name: 'Auth Trust', users: 3 }] };

/** A token source that hands out what the test says, and counts its reads. */
function scripted(...tokens: string[]): TokenSource & { reads: number } {
  const source = {
    reads: 0,
    token: async () => tokens[Math.min(source.reads, tokens.length - 1)] ?? '',
    refresh: async () => tokens[Math.min(++source.reads, tokens.length - 1)] ?? '',
  };
  return source;
}

test('AUTH PLAIN and AUTH LOGIN can each be forced on the submission port; a wrong password is 535 either way', async (t) => {
  const options = stackOptions({ population });
  await using stack = await embeddedProvider.start(options);
  const directory = stack.directory!;
  const alice = directory.user(directory.addressAt(0))!;
  const bob = directory.addressAt(1);
  for (const method of ['PLAIN', 'LOGIN'] as const) {
    const smtp = createSmtpClient({ endpoints: stack.endpoints, ledger: options.ledger, metrics: new RecordingMetrics(), clock: systemClock, auth: new AccountAuth({ method, summary: method }) });
    const sent = await smtp.send({ from: alice.address, to: [bob], auth: { user: alice.address, pass: alice.password }, endpoint: 'submission' });
    t.true(sent.ok, `${method}: ${sent.response}`);
    const refused = await smtp.send({ from: alice.address, to: [bob], auth: { user: alice.address, pass: 'not-it' }, endpoint: 'submission' });
    t.is(refused.code, 535, method);
    t.regex(refused.response, /5\.7\.8/);
    await smtp.close();
  }
  t.is(options.metrics.total('mta.logins', { mechanism: 'PLAIN' }), 1);
  t.is(options.metrics.total('mta.logins', { mechanism: 'LOGIN' }), 1);
  t.is(options.metrics.total('mta.auth_failures', { reason: 'bad-password' }), 2);
});

test('auth: oauth2: XOAUTH2 for SMTP and IMAP and Bearer for ActiveSync with the account\'s token; passwords and wrong tokens are refused with the real codes', async (t) => {
  t.timeout(60_000);
  const options = stackOptions({ population, lockout: { policy: 'none' } });
  await using stack = await embeddedProvider.start({ ...options, config: { auth: 'oauth2' } });
  const directory = stack.directory!;
  const [alice, bob] = [directory.user(directory.addressAt(0))!, directory.addressAt(1)];
  const good = stack.oauthTokens!.tokenFor(alice.address);
  t.not(good, stack.oauthTokens!.tokenFor(bob), 'a token per account');
  const metrics = new RecordingMetrics();
  const creds = { user: alice.address, pass: alice.password };
  const clients = (auth?: AccountAuth) => ({
    smtp: createSmtpClient({ endpoints: stack.endpoints, ledger: options.ledger, metrics, clock: systemClock, ...(auth && { auth }) }),
    imap: createImapConnector({ endpoints: stack.endpoints, metrics, ...(auth && { auth }) }),
    http: createHttpClient({ metrics, ...(auth && { auth }) }),
  });
  const ping = (http: ReturnType<typeof clients>['http']) => http.request('POST', `${stack.endpoints.activesync}/Microsoft-Server-ActiveSync?Cmd=Ping&User=${encodeURIComponent(alice.address)}&DeviceId=d1&DeviceType=SmartPhone`, {
    headers: { authorization: `Basic ${Buffer.from(`${alice.address}:${alice.password}`).toString('base64')}` },
    tags: { flow: 'ping' },
  });

  // the account's token: accepted over all three protocols
  const right = clients(new AccountAuth({ token: scripted(good), summary: 'oauth2' }));
  const sent = await right.smtp.send({ from: alice.address, to: [bob], auth: creds, endpoint: 'submission' });
  t.true(sent.ok, sent.response);
  t.is(options.metrics.total('mta.logins', { mechanism: 'XOAUTH2' }), 1);
  const imap = await right.imap.connect(creds);
  t.true(imap.authenticated !== false);
  await imap.logout();
  t.is((await ping(right.http)).status, 200);

  // a password, as before the platform moved to OAuth2: refused
  const basic = clients();
  const byPassword = await basic.smtp.send({ from: alice.address, to: [bob], auth: creds, endpoint: 'submission' });
  t.is(byPassword.code, 535);
  t.regex(byPassword.response, /5\.7\.139 .*basic authentication is disabled/);
  await t.throwsAsync(basic.imap.connect(creds), { message: /./ });
  t.is((await ping(basic.http)).status, 401);

  // a wrong token that reads the same again: refused, no second try, counted as login failures
  const wrongSource = scripted('ms-at.wrong');
  const wrong = clients(new AccountAuth({ token: wrongSource, summary: 'oauth2' }));
  const byWrong = await wrong.smtp.send({ from: alice.address, to: [bob], auth: creds, endpoint: 'submission' });
  t.is(byWrong.code, 535);
  t.regex(byWrong.response, /^535 5\.7\.8 /);
  t.false(byWrong.response.includes('ms-at.wrong'));
  const imapError = await t.throwsAsync(wrong.imap.connect(creds)) as Error & { serverResponseCode?: string };
  t.is(imapError.serverResponseCode, 'AUTHENTICATIONFAILED');
  const refusedPing = await ping(wrong.http);
  t.is(refusedPing.status, 401);
  t.is(refusedPing.headers.get('www-authenticate'), 'Bearer error="invalid_token"');
  t.is(wrongSource.reads, 3, 'each refusal read the token once more');
  t.is(metrics.total('smtp.auth_failures', { mechanism: 'XOAUTH2', code: '535' }), 1);
  t.is(metrics.total('imap.login_failures', { reason: 'authenticationfailed', mechanism: 'XOAUTH2' }), 1);
  t.is(metrics.total('http.auth_failures', { scheme: 'bearer' }), 1);
  t.is(options.metrics.total('mta.auth_failures', { reason: 'bad-token' }), 1);

  // a token that expired at the identity provider: refused once, read again, the retry goes through
  const stale = good;
  const fresh = stack.oauthTokens!.rotate(alice.address);
  const renewing = clients(new AccountAuth({ tokenOf: (user) => (user === alice.address ? scripted(stale, fresh) : undefined), summary: 'oauth2' }));
  const retried = await renewing.smtp.send({ from: alice.address, to: [bob], auth: creds, endpoint: 'submission' });
  t.true(retried.ok, retried.response);
  t.is(metrics.total('smtp.auth_failures', { mechanism: 'XOAUTH2' }), 2, 'the stale token\'s refusal is counted');
  // the same for IMAP and ActiveSync, each with its own source still holding the stale token
  const imapRenewing = clients(new AccountAuth({ token: scripted(stale, fresh), summary: 'oauth2' }));
  const renewedImap = await imapRenewing.imap.connect(creds);
  await renewedImap.logout();
  t.is(metrics.total('imap.login_failures', { reason: 'authenticationfailed', mechanism: 'XOAUTH2' }), 2, 'the stale token\'s IMAP refusal is counted');
  const httpRenewing = clients(new AccountAuth({ token: scripted(stale, fresh), summary: 'oauth2' }));
  t.is((await ping(httpRenewing.http)).status, 200);
  t.is(metrics.total('http.auth_failures', { scheme: 'bearer' }), 2, 'the stale token\'s 401 is counted');
  for (const c of [right, basic, wrong, renewing, imapRenewing, httpRenewing]) {
    await c.smtp.close();
    await c.http.close();
  }
});
