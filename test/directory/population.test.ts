import test from 'ava';
import { makeDirectory } from './helpers.ts';

test('addresses round-trip, are unique and live under the test domain', (t) => {
  const { directory } = makeDirectory();
  const seen = new Set<string>();
  for (let i = 0; i < directory.userCount; i++) {
    const address = directory.addressAt(i);
    t.regex(address, /^[a-z]+\.[a-z]+\.\d+@nhs\.test$/);
    t.is(directory.user(address.toUpperCase())?.index, i);
    seen.add(address);
  }
  t.is(seen.size, 300);
  t.false(directory.exists('nobody.here.1@nhs.test'));
  t.false(directory.exists(directory.addressAt(0).replace('@nhs.test', '@elsewhere.test')));
});

test('the same seed gives the same population; users belong to their organisation', (t) => {
  const a = makeDirectory().directory;
  const b = makeDirectory().directory;
  t.is(a.addressAt(150), b.addressAt(150));
  t.is(a.user(a.addressAt(150))?.password, b.user(b.addressAt(150))?.password);
  t.is(a.user(a.addressAt(199))?.organisation, 'Northgate NHS Trust');
  t.is(a.user(a.addressAt(200))?.organisation, 'Riverside NHS Trust');
});

test('devices are drawn from 0..maxDevices and start with the current password', (t) => {
  const { directory } = makeDirectory();
  const counts = new Set<number>();
  for (let i = 0; i < directory.userCount; i++) {
    const user = directory.user(directory.addressAt(i))!;
    counts.add(user.devices.length);
    for (const d of user.devices) {
      t.is(d.password, user.password);
      t.false(d.stale);
    }
  }
  t.deepEqual([...counts].sort(), [0, 1, 2, 3]);
});

test('distribution lists expand to a shared array of members', (t) => {
  const { directory } = makeDirectory({ lists: [{ address: 'everyone@nhs.test', members: 'all' }, { address: 'ten@nhs.test', members: 10 }] });
  const all = directory.expand('Everyone@nhs.test');
  t.is(all?.length, 300);
  t.is(directory.expand('everyone@nhs.test'), all);
  t.is(directory.expand('ten@nhs.test')?.[9], directory.addressAt(9));
  t.is(directory.expand(directory.addressAt(0)), undefined);
  t.true(directory.exists('ten@nhs.test'));
  t.true(directory.isListMember('ten@nhs.test', directory.addressAt(9)));
  t.false(directory.isListMember('ten@nhs.test', directory.addressAt(10)));
  t.deepEqual([...directory.lists()].sort(), ['everyone@nhs.test', 'ten@nhs.test']);
});

test('bad population and list input is refused with the field named', (t) => {
  t.throws(() => makeDirectory({ population: { organisations: [{ name: 'x', users: -1 }] } }), { name: 'InputError', message: /organisations\[0\]\.users/ });
  t.throws(() => makeDirectory({ lists: [{ address: 'not an address', members: 'all' }] }), { name: 'InputError', message: /lists\[0\]\.address/ });
  t.throws(() => makeDirectory({ lockout: { policy: 'ad', threshold: 0 } }), { name: 'InputError', message: /lockout\.threshold/ });
});
