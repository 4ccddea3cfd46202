// fakes up --accounts-out: the whole population, as JSON or CSV, from the directory itself.
import test from 'ava';
import { accountRows, accountsText } from '../../cli/fakes-k6.ts';
import { embeddedProvider } from '../../stack/embedded/index.ts';
import { stackOptions } from '../stack-embedded/helpers.ts';

test('every user with password, organisation, devices and lists; CSV quotes what needs quoting', async (t) => {
  await using stack = await embeddedProvider.start(stackOptions({ population: { organisations: [{ name: 'North, Trust', users: 4 }] }, lists: [{ address: 'everyone@nhs.test', members: 'all' }] }));
  const directory = stack.directory!;
  const rows = accountRows(directory);
  t.is(rows.length, 4);
  for (const [i, row] of rows.entries()) {
    const user = directory.user(directory.addressAt(i))!;
    t.deepEqual(row, { address: user.address, password: user.password, organisation: 'North, Trust', devices: user.devices.map((d) => d.id), lists: ['everyone@nhs.test'] });
  }
  const json = JSON.parse(accountsText(rows, 'a.json')) as { accounts: unknown[] };
  t.deepEqual(json.accounts, rows);
  const csv = accountsText(rows, 'a.CSV').trimEnd().split('\n');
  t.is(csv[0], 'address,password,organisation,devices,lists');
  t.is(csv.length, 5);
  t.true(csv[1]!.startsWith(`${rows[0]!.address},`));
  t.true(csv[1]!.includes(',"North, Trust",'));
});
