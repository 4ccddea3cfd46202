// A toxic a killed run left behind: the next run's add gets 409, and the error says what it is
// and how to clean it up, instead of Toxiproxy's bare status code.
import test from 'ava';
import { StackError } from '../../engine/errors.ts';
import { at, latency, startChaos } from '../../chaos/index.ts';
import { chaosRig } from './helpers.ts';

test('a 409 on add names the leftover mailstorm toxic and the chaos clean command; rollback leaves it', async (t) => {
  await using rig = await chaosRig();
  // What a SIGKILLed run leaves: its toxic, under mailstorm's name, on the API.
  const smtp = await rig.client.get('smtp');
  await smtp.addToxic({ name: 'mailstorm-latency_downstream', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 7, jitter: 0 } });
  const run = startChaos([at(0, latency('smtp', { latency: 50 }))], {
    toxiproxyUrl: rig.fake.url, proxies: rig.proxies, clock: rig.clock, events: rig.events, signal: new AbortController().signal,
  });
  const error = await t.throwsAsync(run.done, { instanceOf: StackError });
  t.regex(error.message, /chaos timeline\[0\] \(add latency_downstream on proxy "smtp"\) failed/);
  t.regex(error.message, /already has a toxic "mailstorm-latency_downstream" on proxy "smtp" \(409 Conflict\)/);
  t.regex(error.message, /leftover of an earlier mailstorm run that was killed/);
  t.true(error.message.includes(`mailstorm chaos clean --toxiproxy ${rig.fake.url}`), error.message);
  t.notRegex(error.message, /--config/, 'a Toxiproxy on this machine needs no remote config');
  t.deepEqual(run.events, [], 'nothing was added');
  // This run did not add the leftover, so its rollback does not touch it: the clean command does.
  await run.rollback();
  const state = await rig.state();
  t.deepEqual(state.smtp?.toxics, ['mailstorm-latency_downstream']);
  t.deepEqual(state.other?.toxics, ['theirs']);
  const left = await (await fetch(`${rig.fake.url}/proxies/smtp/toxics/mailstorm-latency_downstream`)).json() as { attributes: { latency: number } };
  t.is(left.attributes.latency, 7, 'the leftover is as the killed run left it');
});
