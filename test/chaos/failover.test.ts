// Failover with real SMTP servers (smtp-server) behind the fault proxy, real submissions
// (nodemailer), and the primary taken down mid-load by disabling its proxy (a chaos `down`).
import test from 'ava';
import { SMTPServer } from 'smtp-server';
import nodemailer from 'nodemailer';
import { Toxiproxy } from 'toxiproxy-node-client';
import type { AddressInfo } from 'node:net';
import { FakeToxiproxy } from '../../fakes/toxiproxy/index.ts';
import { FailoverSelector } from '../../chaos/failover.ts';
import { smtpBannerCheck, smtpBannerChecks } from '../../chaos/smtp-banner-check.ts';
import { ManualClock, systemClock } from '../../engine/clock.ts';
import { MemoryEventLog } from '../../engine/events.ts';
import type { HostPort } from '../../stack/types.ts';
import { down, heal, startChaos } from '../../chaos/index.ts';
import { until } from './helpers.ts';

async function mta() {
  const received = { count: 0 };
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], disableReverseLookup: true, logger: false,
    onData(stream, _session, callback) {
      stream.resume();
      stream.on('end', () => (received.count++, callback()));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { received, port, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function rig() {
  const primary = await mta();
  const standby = await mta();
  const fake = await new FakeToxiproxy().start();
  const client = new Toxiproxy(fake.url);
  const addresses: Record<string, HostPort> = {};
  for (const [name, server] of [['submission', primary], ['submission-standby', standby]] as const) {
    const p = await client.createProxy({ name, listen: '127.0.0.1:0', upstream: `127.0.0.1:${server.port}` });
    addresses[name] = { host: '127.0.0.1', port: Number(p.listen.split(':')[1]) };
  }
  const setEnabled = async (name: string, enabled: boolean) => {
    const p = await client.get(name);
    await p.update({ enabled, listen: p.listen, upstream: p.upstream });
  };
  const proxies = Object.fromEntries(Object.entries(addresses).map(([name, listen]) => [name, { name, listen, upstream: listen }]));
  return {
    primary, standby, addresses, setEnabled, url: fake.url, proxies,
    [Symbol.asyncDispose]: async () => {
      await fake.stop();
      await primary.stop();
      await standby.stop();
    },
  };
}

async function send(address: HostPort, i: number): Promise<void> {
  const transport = nodemailer.createTransport({ host: address.host, port: address.port, secure: false, ignoreTLS: true, connectionTimeout: 3000, greetingTimeout: 3000, socketTimeout: 3000 });
  try {
    await transport.sendMail({ from: 'a@test.local', to: 'b@test.local', subject: `m${i}`, text: 'hello' });
  } finally {
    transport.close();
  }
}

test('the SMTP banner check tells a live MTA from a disabled proxy', async (t) => {
  await using r = await rig();
  t.true(await smtpBannerCheck(r.addresses.submission!));
  await r.setEnabled('submission', false);
  t.false(await smtpBannerCheck(r.addresses.submission!));
});

test('primary taken down mid-load by the chaos timeline: submissions move to the standby, none accepted is lost, traffic returns after heal', async (t) => {
  await using r = await rig();
  const events = new MemoryEventLog(Date.now());
  const chaosClock = new ManualClock(0);
  const chaos = startChaos([down('submission', { at: '45m' }), heal('submission', { at: '50m' })],
    { toxiproxyUrl: r.url, proxies: r.proxies, clock: chaosClock, events, signal: new AbortController().signal });
  t.teardown(() => chaos.rollback());
  const selector = new FailoverSelector({
    endpoints: ['submission', 'submission-standby'], check: smtpBannerChecks(r.addresses, { timeoutMs: 1000 }), intervalMs: 100, clock: systemClock, events, failuresToDown: 2,
  });
  t.teardown(() => selector.stop());
  await selector.start();
  t.is(selector.current(), 'submission');
  const accepted: Record<string, number> = {};
  let failures = 0;
  for (let i = 0; i < 60 && (accepted['submission-standby'] ?? 0) < 5; i++) {
    if (i === 5) {
      chaosClock.advance(45 * 60_000); // the hard failure, mid-load
      await until(() => chaos.events.length === 1);
    }
    const target = selector.current();
    if (!target) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      continue;
    }
    try {
      await send(r.addresses[target]!, i);
      accepted[target] = (accepted[target] ?? 0) + 1;
      selector.accepted(target);
    } catch {
      failures++;
      selector.reportFailure(target);
    }
  }
  t.is(accepted.submission, 5);
  t.is(accepted['submission-standby'], 5);
  t.is(r.primary.received.count, 5, 'everything the primary accepted arrived there');
  t.is(r.standby.received.count, 5);
  t.true(failures <= 3, `only sends around the failure fail (${failures})`);
  const report = selector.report();
  t.like(report.failovers[0], { from: 'submission', to: 'submission-standby' });
  t.is(report.standbyAcceptedOn, 'submission-standby');
  t.true(report.timeToStandbyMs !== undefined && report.timeToStandbyMs >= 0);
  t.true(report.standbyWasHealthy);
  t.like(events.all().find((e) => e.type === 'failover'), { from: 'submission', to: 'submission-standby' });

  chaosClock.advance(5 * 60_000);
  await chaos.done;
  await selector.checkNow();
  t.is(selector.current(), 'submission', 'back to the primary once it passes its check');
  t.like(selector.report().failovers[1], { from: 'submission-standby', to: 'submission' });
  await selector.stop();
});

test('a broken standby: nothing to fail over to, and the report says so', async (t) => {
  await using r = await rig();
  const selector = new FailoverSelector({ endpoints: ['submission', 'submission-standby'], check: smtpBannerChecks(r.addresses), intervalMs: 1000, clock: systemClock });
  t.teardown(() => selector.stop());
  await selector.start();
  await r.setEnabled('submission-standby', false);
  await r.setEnabled('submission', false);
  await selector.checkNow();
  t.is(selector.current(), null);
  const report = selector.report();
  t.false(report.standbyWasHealthy);
  t.is(report.timeToStandbyMs, undefined);
  t.like(report.failovers.at(-1), { from: 'submission', to: null });
  await selector.stop();
});
