// Delivers each recipient's mail to the store its mailbox lives in: the stack's default
// target unless a migration moved the mailbox (Stack.routeUser).
import { InputError } from '../../engine/errors.ts';
import type { DeliveryTarget, QueuedMessage } from '../../fakes/smtp/types.ts';

export class RoutingTarget implements DeliveryTarget {
  readonly name = 'router';
  readonly #routes = new Map<string, DeliveryTarget>();

  constructor(
    private readonly targets: ReadonlyMap<string, DeliveryTarget>,
    private readonly defaultTarget: string,
  ) {}

  route(address: string, store: string): void {
    const target = this.targets.get(store);
    if (!target) throw new InputError(`routeUser: no mailstore "${store}" (allowed: ${[...this.targets.keys()].join(', ')})`);
    this.#routes.set(address.trim().toLowerCase(), target);
  }

  deliver(recipient: string, message: QueuedMessage): void | Promise<void> {
    const target = this.#routes.get(recipient.toLowerCase()) ?? this.targets.get(this.defaultTarget);
    return (target as DeliveryTarget).deliver(recipient, message);
  }
}
