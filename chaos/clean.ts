// Removes what killed mailstorm runs left on a Toxiproxy: every toxic named by mailstorm's rule
// (chaos/names.ts), on every proxy, and nothing else. A run that exits in any way it sees
// rolls its own toxics back; this is for the runs that could not (SIGKILL, OOM, lost machine).
import { Toxiproxy } from 'toxiproxy-node-client';
import { StackError, errorMessage } from '../engine/errors.ts';
import { isMailstormToxic } from './names.ts';
import { isNotFound } from './api-status.ts';

export interface CleanedProxy {
  proxy: string;
  /** mailstorm toxics removed, Toxiproxy's names */
  removed: string[];
  /** other users' toxics, left alone */
  kept: string[];
  /** false: the proxy is disabled; left so, since nothing says who disabled it */
  enabled: boolean;
}

export interface CleanReport {
  url: string;
  proxies: CleanedProxy[];
}

const LOOPBACK_HOSTS = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

export function isLoopbackUrl(url: string): boolean {
  try {
    return LOOPBACK_HOSTS.test(new URL(url).hostname);
  } catch {
    return false;
  }
}

/** The clean-up command for the Toxiproxy API at `url`; one off this machine needs its remote config. */
export function cleanCommand(url: string): string {
  return `mailstorm chaos clean --toxiproxy ${url}${isLoopbackUrl(url) ? '' : ' --config <the remote stack config naming it>'}`;
}

export async function cleanLeftoverToxics(apiUrl: string): Promise<CleanReport> {
  const url = apiUrl.replace(/\/+$/, '');
  const client = new Toxiproxy(url);
  let proxies: Awaited<ReturnType<Toxiproxy['getAll']>>;
  try {
    proxies = await client.getAll();
  } catch (error) {
    throw new StackError(`cannot list the proxies of the Toxiproxy API at ${url} (${errorMessage(error)}); is Toxiproxy running there?`);
  }
  const listed = typeof proxies === 'object' && proxies !== null ? Object.values(proxies) : [];
  if (listed.some((p) => typeof p.name !== 'string')) throw new StackError(`${url}/proxies did not answer with Toxiproxy's proxy list; is this a Toxiproxy API?`);
  const report: CleanReport = { url, proxies: [] };
  for (const proxy of listed.sort((a, b) => a.name.localeCompare(b.name))) {
    const names = await toxicNames(client, url, proxy.name);
    if (names === undefined) continue; // the proxy went away meanwhile
    const cleaned: CleanedProxy = { proxy: proxy.name, removed: [], kept: [], enabled: proxy.enabled };
    for (const name of names) {
      if (!isMailstormToxic(name)) {
        cleaned.kept.push(name);
        continue;
      }
      try {
        await (await proxy.getToxic(name)).remove();
        cleaned.removed.push(name);
      } catch (error) {
        if (!isNotFound(error)) throw new StackError(`removing toxic "${name}" from proxy "${proxy.name}" at ${url} failed: ${errorMessage(error)}`);
      }
    }
    report.proxies.push(cleaned);
  }
  return report;
}

/** The client's Proxy drops the toxics list, so read GET /proxies/{name}/toxics through its HTTP client. */
async function toxicNames(client: Toxiproxy, url: string, proxy: string): Promise<string[] | undefined> {
  try {
    const { data } = await client.getApi().get<unknown>(`${url}/proxies/${encodeURIComponent(proxy)}/toxics`);
    if (!Array.isArray(data)) throw new Error('the answer is not a list of toxics');
    return data.map((t: { name?: unknown }) => String(t.name));
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw new StackError(`cannot list the toxics of proxy "${proxy}" at ${url}: ${errorMessage(error)}`);
  }
}
