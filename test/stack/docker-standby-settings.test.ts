// The docker stack's reading of StackSpec.standby, without docker: node proxies named as on the
// embedded stack, delivery pacing Postfix can express (whole-second rate delays, several
// destinations above 1/s), the high water as postfwd's intake limit, and a note for each.
import test from 'ava';
import { mailSettings } from '../../stack/docker/spec-settings.ts';
import { MAX_PACED_DESTINATIONS, standbySettings } from '../../stack/docker/standby-settings.ts';
import { congestionRule } from '../../stack/docker/postfwd-rules.ts';
import { pacedTransportMaps } from '../../stack/docker/standby-pacing.ts';
import { PolicyLog } from '../../stack/docker/policy-log.ts';
import { MetricsRegistry } from '../../engine/metrics/registry.ts';
import { MemoryEventLog } from '../../engine/events.ts';

const twoStores = { mailstores: [{ name: 'old' }, { name: 'new' }], deliverTo: 'old' };

test('the cutover spec: 4 nodes, 3 deliveries/s over 3 paced destinations, 30 within 10 s from the shared client address', (t) => {
  const settings = mailSettings({ ...twoStores, standby: { enabled: true, nodes: 4, mta: { deliveryRatePerSec: 3, highWater: 30 } } }, 'nhs.test');
  const standby = settings.standby!;
  t.deepEqual(standby.nodeSuffixes, ['', '-2', '-3', '-4']);
  t.is(standby.destinations, 3);
  t.deepEqual(standby.env, { DELIVERY_RATE_DELAY: '1s', DELIVERY_CONCURRENCY: '1' });
  t.deepEqual(standby.intake, { max: 30, seconds: 10 });
  // The primary keeps its own (unpaced) environment.
  t.is(settings.env.DELIVERY_RATE_DELAY, undefined);
  t.true(settings.notes.some((n) => n.startsWith('standby.nodes=4: one standby Postfix container behind 4 proxy pairs')));
  t.true(settings.notes.some((n) => n.includes('deliveryRatePerSec=3 applied as 3 LMTP destinations')));
  t.true(settings.notes.some((n) => n.includes('highWater=30 approximated by postfwd') && n.includes('within 10 s')));
});

test('pacing: slow rates as a whole-second delay, fractional ones rounded and said, too fast or to one socket left unpaced', (t) => {
  const paced = (deliveryRatePerSec: number, toHost = true) => standbySettings({ standby: { enabled: true, mta: { deliveryRatePerSec } } }, toHost)!;
  t.like(paced(0.5), { destinations: 1, env: { DELIVERY_RATE_DELAY: '2s', DELIVERY_CONCURRENCY: '1' } });
  t.like(paced(0.6), { destinations: 1, env: { DELIVERY_RATE_DELAY: '2s' } });
  t.true(paced(0.6).notes[0]!.includes('0.5 deliveries/s'));
  t.like(paced(1.5), { destinations: 2 });
  t.true(paced(1.5).notes[0]!.includes('rounded from 1.5'));
  t.like(paced(MAX_PACED_DESTINATIONS + 1), { destinations: 1, env: { DELIVERY_RATE_DELAY: '0s' } });
  t.true(paced(MAX_PACED_DESTINATIONS + 1).notes[0]!.includes('not applied'));
  t.like(paced(3, false), { destinations: 1, env: { DELIVERY_RATE_DELAY: '0s' } });
  t.true(paced(3, false).notes[0]!.includes('its own Dovecot'));
  // A standby without its own sizing is a copy of the primary: nothing of its own, no note.
  t.deepEqual(standbySettings({ standby: { enabled: true } }, true), { nodeSuffixes: [''], env: {}, destinations: 1, notes: [] });
  t.is(standbySettings({ standby: { enabled: false, nodes: 3 } }, true), undefined);
  // The intake window follows the primary's rate when the standby has none; else a minute.
  t.deepEqual(standbySettings({ mta: { deliveryRatePerSec: 5 }, standby: { enabled: true, mta: { highWater: 50 } } }, true)!.intake, { max: 50, seconds: 10 });
  t.deepEqual(standbySettings({ standby: { enabled: true, mta: { highWater: 50 } } }, true)!.intake, { max: 50, seconds: 60 });
});

test('bad node counts are an InputError naming standby.nodes', (t) => {
  t.throws(() => mailSettings({ ...twoStores, standby: { enabled: true, nodes: 0 } }, 'nhs.test'), { message: /standby\.nodes=0: a whole number from 1 to 32/ });
  t.throws(() => mailSettings({ ...twoStores, standby: { enabled: true, nodes: 2.5 } }, 'nhs.test'), { message: /standby\.nodes=2\.5/ });
});

test('the congestion rule, the transport map and the log reader agree on what a congestion refusal is', (t) => {
  const rule = congestionRule({ max: 30, seconds: 10 });
  t.is(rule, 'id=CONGESTION ; protocol_state==RCPT ; action=rate(client_address/30/10/451 4.3.2 Platform congested (30 messages in 10 s), try again later)\n');
  t.is(pacedTransportMaps('172.20.0.1', [4001, 4002]), 'randmap:{lmtp:inet:[172.20.0.1]:4001, lmtp:inet:[172.20.0.1]:4002}');
  const metrics = new MetricsRegistry({ startedAt: 0 });
  const events = new MemoryEventLog(0);
  const log = new PolicyLog(metrics, events, 'mta-standby');
  const reject = 'Dec 04 21:45:05 mta-standby postfix/smtpd[120]: NOQUEUE: reject: RCPT from unknown[172.20.0.1]: 451 4.3.2 <u@nhs.test>: Recipient address rejected: Platform congested (30 messages in 10 s), try again later; from=<a@x> to=<u@nhs.test> proto=ESMTP helo=<h>';
  log.line(reject);
  log.line(reject);
  log.line('Dec 04 21:45:05 mta-standby postfix/smtpd[120]: connect from unknown[172.20.0.1]');
  t.is(log.congested, 2);
  t.is(log.stormBlocks, 0);
  t.is(events.all().filter((e) => e.type === 'postfwd_congestion_logged').length, 1);
});
