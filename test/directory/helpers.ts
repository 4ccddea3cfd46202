import { ManualClock } from '../../engine/clock.ts';
import { seededRandom } from '../../engine/random.ts';
import { MemoryEventLog } from '../../engine/events.ts';
import { Directory, type DirectoryOptions } from '../../directory/index.ts';

export function makeDirectory(overrides: Partial<DirectoryOptions> = {}) {
  const clock = new ManualClock(1_700_000_000_000);
  const events = new MemoryEventLog(clock.now(), () => clock.now());
  const counters = new Map<string, number>();
  const metrics = {
    count: (name: string, value = 1, tags?: Record<string, string>) => {
      const key = `${name}${tags ? JSON.stringify(tags) : ''}`;
      counters.set(key, (counters.get(key) ?? 0) + value);
    },
    declare: () => {},
    rate: () => {},
    gauge: () => {},
    trend: () => {},
  };
  const directory = new Directory({
    clock, random: seededRandom(42), events, metrics,
    population: { organisations: [{ name: 'Northgate NHS Trust', users: 200 }, { name: 'Riverside NHS Trust', users: 100 }], weakPasswordShare: 0.2, maxDevices: 3 },
    ...overrides,
  });
  return { clock, events, counters, directory };
}

/** The first user with at least `devices` devices. */
export function userWithDevices(directory: Directory, devices: number) {
  for (let i = 0; i < directory.userCount; i++) {
    const user = directory.user(directory.addressAt(i));
    if (user && user.devices.length >= devices) return user;
  }
  throw new Error(`no user with ${devices} devices`);
}
