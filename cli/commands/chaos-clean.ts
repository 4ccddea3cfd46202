// mailstorm chaos clean --toxiproxy URL: removes the toxics killed mailstorm runs left on a
// Toxiproxy (named by chaos/names.ts), and only those. Like a run, it contacts only a
// Toxiproxy on this machine or one a remote stack config names.
import { Command, InvalidArgumentError } from 'commander';
import { InputError } from '../../engine/errors.ts';
import { loadStackConfig } from '../../stack/index.ts';
import { cleanLeftoverToxics, isLoopbackUrl, type CleanReport } from '../../chaos/clean.ts';
import { TOXIC_PREFIX } from '../../chaos/names.ts';
import type { CommandContext } from '../io.ts';
import { AllowList, systemResolver } from '../../stack/remote/allow-list.ts';

interface CleanOptions {
  toxiproxy?: string;
  config?: string;
}

export function chaosCommand(cli: CommandContext): Command {
  const { io } = cli;
  const output = { writeOut: (s: string) => io.stdout.write(s), writeErr: (s: string) => io.stderr.write(s) };
  const clean = new Command('clean')
    .description(`remove the toxics (named ${TOXIC_PREFIX}*) that killed mailstorm runs left on a Toxiproxy; other toxics stay`)
    .option('--toxiproxy <url>', 'the Toxiproxy API, e.g. http://127.0.0.1:8474 (on this machine, or the one --config names)', httpUrl)
    .option('--config <file>', 'remote stack config (YAML) whose toxiproxy key names the API; needed for a Toxiproxy off this machine')
    .addHelpText('after', `
A run removes its own toxics on every exit it sees (end, error, Ctrl-C, SIGTERM). A run killed
outright (SIGKILL, out of memory, a lost machine) cannot, and the next run's add gets 409 from
Toxiproxy. This lists every proxy and removes each toxic named ${TOXIC_PREFIX}*; proxies stay as
they are, also disabled ones (nothing says who disabled them). Do not run it while another
mailstorm run uses the same Toxiproxy: its toxics would go too.

Exit: 0 cleaned (or nothing to clean), 2 bad input, 3 the Toxiproxy API cannot be reached.`)
    .exitOverride()
    .configureOutput(output)
    .action(async (opts: CleanOptions) => {
      const report = await cleanLeftoverToxics(await cleanTarget(opts));
      io.stdout.write(describeClean(report));
    });
  return new Command('chaos')
    .description('manage what chaos timelines leave on a Toxiproxy')
    .exitOverride()
    .configureOutput(output)
    .addCommand(clean);
}

function httpUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(`"${value}" is not a URL (e.g. http://127.0.0.1:8474)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidArgumentError('--toxiproxy must be an http:// or https:// URL');
  return value;
}

const same = (a: string, b: string) => new URL(a).href.replace(/\/+$/, '') === new URL(b).href.replace(/\/+$/, '');

/** The API to clean: on this machine, or named by a remote stack config (the remote stack's allow-list). */
async function cleanTarget(opts: CleanOptions): Promise<string> {
  if (opts.config === undefined) {
    if (opts.toxiproxy === undefined) throw new InputError('chaos clean needs --toxiproxy <url>, the Toxiproxy API to clean (e.g. --toxiproxy http://127.0.0.1:8474)');
    if (isLoopbackUrl(opts.toxiproxy)) return opts.toxiproxy;
    throw new InputError(
      `--toxiproxy ${opts.toxiproxy}: chaos clean talks only to a Toxiproxy on this machine (127.0.0.1, localhost, ::1) ` +
        'or to one a remote stack config names; add --config <file> whose toxiproxy key is this URL',
    );
  }
  const config = await loadStackConfig(opts.config, 'remote');
  const named = typeof config.toxiproxy === 'string' ? config.toxiproxy : undefined;
  // the config's toxiproxy is contacted only when its allow-list covers it, as a run would
  const allowed = async (url: string) => {
    if (isLoopbackUrl(url)) return url;
    const allow = await AllowList.build(config.allow as string[], systemResolver, `--config ${opts.config}`);
    await allow.check(new URL(url).hostname.replace(/^\[|\]$/g, ''), `--config ${opts.config}: toxiproxy ${url}`);
    return url;
  };
  if (opts.toxiproxy === undefined) {
    if (named === undefined) throw new InputError(`--config ${opts.config}: names no toxiproxy; give its toxiproxy key or --toxiproxy <url>`);
    return allowed(named);
  }
  if (isLoopbackUrl(opts.toxiproxy)) return opts.toxiproxy;
  if (named !== undefined && same(opts.toxiproxy, named)) return allowed(opts.toxiproxy);
  throw new InputError(
    `--toxiproxy ${opts.toxiproxy}: not on this machine and not the toxiproxy --config ${opts.config} names (${named ?? 'none'}); ` +
      'chaos clean contacts only a Toxiproxy the remote stack config allows',
  );
}

function describeClean(report: CleanReport): string {
  const cleaned = report.proxies.filter((p) => p.removed.length > 0);
  const lines: string[] = [];
  if (cleaned.length === 0) {
    lines.push(`nothing to clean: no ${TOXIC_PREFIX}* toxics on the ${report.proxies.length} proxies of ${report.url}`);
  } else {
    lines.push(`Toxiproxy ${report.url}:`);
    for (const p of cleaned) {
      const kept = p.kept.length > 0 ? ` (left ${p.kept.length} other toxic(s): ${p.kept.join(', ')})` : '';
      lines.push(`  ${p.proxy}: removed ${p.removed.join(', ')}${kept}`);
    }
    const removed = cleaned.reduce((n, p) => n + p.removed.length, 0);
    lines.push(`removed ${removed} mailstorm toxic(s) from ${cleaned.length} of ${report.proxies.length} proxies; other toxics left alone`);
  }
  const disabled = report.proxies.filter((p) => !p.enabled).map((p) => p.proxy);
  if (disabled.length > 0) lines.push(`note: disabled proxies left as they are (nothing says who disabled them): ${disabled.join(', ')}`);
  return `${lines.join('\n')}\n`;
}
