// Finds a named endpoint ("smtp", "submission", "imap" or a key of Endpoints.extra).
import { InputError } from '../errors.ts';
import type { Endpoints, HostPort } from '../endpoints.ts';

export function resolveEndpoint(endpoints: Endpoints, name: string): HostPort {
  if (name === 'smtp' || name === 'submission' || name === 'imap') return endpoints[name];
  const extra = endpoints.extra[name];
  if (extra) return extra;
  const known = ['smtp', 'submission', 'imap', ...Object.keys(endpoints.extra)].join(', ');
  throw new InputError(`endpoint "${name}" is not offered by this stack; known: ${known}`);
}
