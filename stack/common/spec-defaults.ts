// How every provider reads a StackSpec: defaults, and the checks that turn a spec it cannot
// honour into an InputError naming the field. Shared so a scenario means the same on each.
import { InputError } from '../../engine/errors.ts';
import type { PopulationSpec } from '../../directory/index.ts';
import type { StackSpec } from '../types.ts';

/** A small population so an unconfigured stack starts at once. */
export const DEFAULT_POPULATION: PopulationSpec = { organisations: [{ name: 'Default Trust', users: 200 }] };

export type MailstoreSpec = NonNullable<StackSpec['mailstores']>[number];

export function mailstoresOf(spec: StackSpec): MailstoreSpec[] {
  const stores = spec.mailstores?.length ? spec.mailstores : [{ name: 'main' }];
  const names = new Set<string>();
  for (const store of stores) {
    if (!/^[a-z0-9][a-z0-9-]*$/i.test(store.name)) throw new InputError(`mailstores.name "${store.name}": use letters, digits and dashes`);
    if (store.name === 'sink') throw new InputError('mailstores.name "sink" is reserved for the ledger sink');
    if (names.has(store.name)) throw new InputError(`mailstores.name "${store.name}" is given twice`);
    names.add(store.name);
  }
  return stores;
}

/** The store IMAP's main endpoint serves: "main" when present, else the first. */
export function primaryStore(stores: readonly MailstoreSpec[]): string {
  return (stores.find((s) => s.name === 'main') ?? stores[0])?.name ?? 'main';
}

export function deliveryTargetOf(spec: StackSpec, stores: readonly MailstoreSpec[]): string {
  const target = spec.deliverTo ?? primaryStore(stores);
  if (target !== 'sink' && !stores.some((s) => s.name === target)) {
    throw new InputError(`deliverTo "${target}": allowed are "sink" or a mailstore name (${stores.map((s) => s.name).join(', ')})`);
  }
  return target;
}
