// Which addresses a remote run may connect to. The config's `allow` rules are addresses,
// CIDR blocks and hostnames (a hostname rule allows the addresses it resolves to when the
// run starts). A host is allowed only when every address it resolves to is covered, so a
// friendly name that points somewhere else is refused, naming the address and the rules.
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { lookup as dnsLookup } from 'node:dns/promises';
import { InputError } from '../../engine/errors.ts';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Name resolution, injectable so tests can point a name anywhere. */
export type Resolver = (host: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = async (host) =>
  (await dnsLookup(host, { all: true })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));

const HOSTNAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** A config rule that is not an address, a CIDR block or a hostname; null when it is fine. */
export function allowRuleProblem(rule: string): string | null {
  const [base, prefix, ...rest] = rule.split('/');
  if (rest.length || base === undefined) return 'not an address, CIDR block or hostname';
  const family = isIP(base);
  if (prefix !== undefined) {
    if (!family) return 'a CIDR block needs an IP address before the "/"';
    const bits = Number(prefix);
    if (!/^\d+$/.test(prefix) || bits > (family === 4 ? 32 : 128)) return `/${prefix} is not a prefix length for IPv${family}`;
    if (bits === 0) return 'allows every address, which is no allow-list; name the platform\'s hosts or blocks';
    return null;
  }
  if (family) return null;
  return HOSTNAME.test(base) ? null : 'not an address, CIDR block or hostname';
}

export class AllowList {
  readonly #blocks = new BlockList();
  readonly #described: string[] = [];

  private constructor(private readonly resolve: Resolver) {}

  /** Builds the list; hostname rules are resolved now, and a rule that does not resolve is an InputError. */
  static async build(rules: readonly string[], resolve: Resolver, where: string): Promise<AllowList> {
    const list = new AllowList(resolve);
    for (const rule of rules) {
      const [base, prefix] = rule.split('/') as [string, string | undefined];
      const family = isIP(base);
      if (family && prefix !== undefined) {
        list.#blocks.addSubnet(base, Number(prefix), family === 4 ? 'ipv4' : 'ipv6');
        list.#described.push(rule);
      } else if (family) {
        list.#blocks.addAddress(base, family === 4 ? 'ipv4' : 'ipv6');
        list.#described.push(rule);
      } else {
        const addresses = await resolveOrExplain(resolve, base, `${where}: allow rule ${rule}`);
        for (const a of addresses) list.#blocks.addAddress(a.address, a.family === 4 ? 'ipv4' : 'ipv6');
        list.#described.push(`${rule} (${addresses.map((a) => a.address).join(', ')})`);
      }
    }
    return list;
  }

  covers(a: ResolvedAddress): boolean {
    return this.#blocks.check(a.address, a.family === 4 ? 'ipv4' : 'ipv6');
  }

  /**
   * The addresses `host` resolves to, all of them covered; otherwise an InputError naming
   * the endpoint, the address outside the list and the rules.
   */
  async check(host: string, what: string): Promise<ResolvedAddress[]> {
    const family = isIP(host);
    const addresses = family ? [{ address: host, family: family as 4 | 6 }] : await resolveOrExplain(this.resolve, host, what);
    const outside = addresses.find((a) => !this.covers(a));
    if (outside) {
      const which = outside.address === host ? `${host} is` : `${host} resolves to ${outside.address}, which is`;
      throw new InputError(`${what}: ${which} not covered by any allow rule (allow: ${this.#described.join(', ')}); nothing was sent to it`);
    }
    return addresses;
  }

  /**
   * A `lookup` for sockets (net, tls, undici's connect): every connection resolves its name
   * again and is refused when an address falls outside the list, so a name that changes
   * during the run cannot move the load elsewhere.
   */
  lookup(): LookupFunction {
    return (hostname, options, callback) => {
      this.check(hostname, 'connection').then((addresses) => {
        const wanted = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
        const usable = wanted.length ? wanted : addresses;
        if (options.all) (callback as (e: null, a: ResolvedAddress[]) => void)(null, usable);
        else callback(null, usable[0]!.address, usable[0]!.family);
      }, (error: Error) => callback(Object.assign(error, { code: 'EMAILSTORMNOTALLOWED' }), '', 0));
    };
  }
}

async function resolveOrExplain(resolve: Resolver, host: string, what: string): Promise<ResolvedAddress[]> {
  try {
    const addresses = await resolve(host);
    if (addresses.length === 0) throw new Error('no addresses');
    return addresses;
  } catch (error) {
    throw new InputError(`${what}: ${host} does not resolve (${error instanceof Error ? error.message : String(error)})`);
  }
}
