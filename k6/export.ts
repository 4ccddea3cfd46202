// `mailstorm export k6`: the scenario's load as script.ts, script.js and a README (and with
// k6-operator, configmap.yaml and testrun.yaml). Pure: returns the files; the CLI writes them.
import { InputError } from '../engine/errors.ts';
import type { ScenarioDefinition } from '../harness/scenario/types.ts';
import { bundleForOldK6 } from './bundle.ts';
import { isTcp, mappingOf, type ExportedFlow } from './flow-map.ts';
import { k6Options } from './k6-options.ts';
import { configMapYaml, testRunYaml } from './operator.ts';
import { scriptSource, type ScriptPlan } from './script-source.ts';

export interface ExportRequest {
  definition: ScenarioDefinition;
  params: Record<string, unknown>;
  /** only these flows (exec names); all exportable ones when absent */
  flows?: readonly string[];
  operator?: { parallelism: number; runnerImage?: string };
  /** the SMTP/IMAP dialogues' default TLS (--tls): none, implicit; starttls is refused */
  tls?: string;
  /** how accounts log in by default (--auth): password, or oauth2 (SASL XOAUTH2, the token read at run time) */
  auth?: string;
}

export interface ExportOutput {
  files: Record<string, string>;
  plan: ScriptPlan;
  /** one line per flow that stays in mailstorm, for the CLI to print */
  notes: string[];
}

export const SCRIPT_ENV: Readonly<Record<string, string>> = {
  SMTP_HOST: 'relay host (SMTP flows)',
  SMTP_PORT: 'relay port',
  SUBMISSION_HOST: 'submission host (authenticated SMTP flows)',
  SUBMISSION_PORT: 'submission port',
  IMAP_HOST: 'IMAP host (login flows)',
  IMAP_PORT: 'IMAP port',
  SMTP_TLS: '`implicit` (TLS from the first byte; default port 465) or `none`; `starttls` is refused: xk6-tcp starts TLS only at connect and cannot upgrade a socket. Default from `export k6 --tls`',
  SUBMISSION_TLS: 'as SMTP_TLS, for the submission endpoint (default port 465 when implicit)',
  IMAP_TLS: 'as SMTP_TLS, for IMAP (default port 993 when implicit)',
  AUTH: '`password` (AUTH PLAIN, IMAP LOGIN) or `oauth2` (SASL XOAUTH2 on SMTP and IMAP, for a platform that refuses passwords); default from `export k6 --auth`. With `oauth2` the exported ActiveSync flow (a stale device retrying an old password) is refused by name',
  OAUTH2_TOKEN: "with AUTH=oauth2: the access token for every account that has none of its own in ACCOUNTS_FILE (e.g. `OAUTH2_TOKEN=$(get-token)`); never written into the script",
  TCP_TIMEOUT_MS: 'an SMTP/IMAP dialogue fails after this long without a reply (default 30000)',
  ACTIVESYNC_URL: 'base URL of the ActiveSync-style endpoint (HTTP flows)',
  ACCOUNTS_FILE: 'accounts JSON from `mailstorm fakes up --accounts-out FILE` (default ./accounts.json); with `auth: oauth2` in its `--config` each account carries its `token`',
  RUN_ID: 'run id stamped into every X-Mailstorm-Id, so ids stay unique across runs',
  SIZE_BYTES: 'message body size in bytes (SMTP flows)',
  SUMMARY_FILE: "where handleSummary writes mailstorm's runner summary (default mailstorm-summary.json); `{segment}` in it becomes the runner's execution segment (1/3:2/3 -> 1-3_2-3), so runners sharing a volume do not overwrite each other",
};

/** --tls: k6/x/tcp has TLS only at connect, so STARTTLS cannot be exported. */
export function tlsMode(value: string | undefined): 'none' | 'implicit' {
  if (value === undefined || value === 'none') return 'none';
  if (value === 'implicit') return 'implicit';
  if (value === 'starttls') throw new InputError('--tls starttls: k6/x/tcp (xk6-tcp) starts TLS only at connect and cannot upgrade a socket, so an exported script cannot speak STARTTLS; point it at the implicit-TLS ports (465 SMTP, 993 IMAP) with --tls implicit');
  throw new InputError(`--tls must be none or implicit, got "${value}"`);
}

/** --auth: the script's default for AUTH. */
export function authMode(value: string | undefined): 'password' | 'oauth2' {
  if (value === undefined || value === 'password') return 'password';
  if (value === 'oauth2') return 'oauth2';
  throw new InputError(`--auth must be password or oauth2, got "${value}"`);
}

export async function exportK6(req: ExportRequest): Promise<ExportOutput> {
  const { definition } = req;
  const tls = tlsMode(req.tls);
  const auth = authMode(req.auth);
  const options = definition.options(req.params as never);
  const execOf = (name: string) => options.scenarios[name]?.exec ?? name;
  const allExecs = [...new Set(Object.keys(options.scenarios).map(execOf))];
  if (req.flows) {
    const unknown = req.flows.filter((f) => !allExecs.includes(f));
    if (unknown.length > 0) throw new InputError(`--flows: scenario "${definition.name}" has no flow ${unknown.map((f) => `"${f}"`).join(', ')}; its flows: ${allExecs.join(', ')}`);
  }
  const wanted = new Set(req.flows ?? allExecs);
  const flows: Record<string, ExportedFlow> = {};
  const stays: Record<string, string> = {};
  for (const exec of allExecs) {
    const m = mappingOf(definition.name, exec);
    if (m.kind === 'stays') stays[exec] = m.why;
    else if (wanted.has(exec)) flows[exec] = m;
    else stays[exec] = 'left out by --flows';
  }
  for (const f of req.flows ?? []) {
    if (f in stays && stays[f] !== 'left out by --flows') throw new InputError(`--flows: flow "${f}" of "${definition.name}" cannot run in k6: ${stays[f]}`);
  }
  if (Object.keys(flows).length === 0) throw new InputError(`scenario "${definition.name}" has no flow that can run in k6: ${Object.entries(stays).map(([f, why]) => `${f}: ${why}`).join('; ')}`);
  const keep = new Set(Object.keys(options.scenarios).filter((s) => execOf(s) in flows));
  const plan: ScriptPlan = {
    scenario: definition.name,
    params: req.params,
    options: k6Options(options, keep),
    gates: options.thresholds ?? {},
    flows,
    stays,
    tls,
    auth,
  };
  const ts = scriptSource(plan);
  const files: Record<string, string> = { 'script.ts': ts, 'script.js': await bundleForOldK6(ts) };
  files['README.md'] = readme(plan);
  if (req.operator) {
    const name = `mailstorm-${definition.name}`;
    files['configmap.yaml'] = configMapYaml(name, { 'script.js': files['script.js']! });
    files['testrun.yaml'] = testRunYaml({ name, parallelism: req.operator.parallelism, ...(req.operator.runnerImage !== undefined ? { runnerImage: req.operator.runnerImage } : {}), env: { RUN_ID: name } });
  }
  const notes = Object.entries(stays).map(([f, why]) => `flow "${f}" is not exported: ${why}`);
  return { files, plan, notes };
}

function readme(plan: ScriptPlan): string {
  const tcp = Object.values(plan.flows).some(isTcp);
  const lines = [
    `# mailstorm scenario "${plan.scenario}" for k6`,
    '',
    '- `script.ts`: k6 v0.57 or later runs it as it is.',
    '- `script.js`: the same script bundled for es2017, for older k6 builds (v0.43 or later: native async/await).',
    tcp
      ? '- SMTP/IMAP flows use `k6/x/tcp` (xk6-tcp v0.2 or later, so k6 v1.7 or later): build k6 with `xk6 build --with github.com/grafana/xk6-tcp` (k6 >= 1.2 fetches it itself when online).'
      : '- No SMTP/IMAP flow: a stock k6 binary runs it.',
    ...(tcp ? [`- Logins: ${plan.auth === 'oauth2' ? 'OAuth2 by default (exported with `--auth oauth2`)' : 'passwords by default'}; \`AUTH=oauth2\` sends SASL XOAUTH2 with each account's \`token\` from the accounts file or \`OAUTH2_TOKEN\`, read when k6 runs and never written into the script.`] : []),
    ...(tcp ? [`- TLS: ${plan.tls === 'implicit' ? 'implicit TLS by default (exported with `--tls implicit`)' : 'none by default'}; \`SMTP_TLS\`, \`SUBMISSION_TLS\`, \`IMAP_TLS\` = \`implicit\` or \`none\`. xk6-tcp has TLS only at connect (no STARTTLS). A self-signed certificate needs \`k6 run --insecure-skip-tls-verify\`.`] : []),
    '',
    `Flows in k6: ${Object.keys(plan.flows).join(', ')}.`,
    `Flows that stay in mailstorm: ${Object.keys(plan.stays).length === 0 ? 'none' : Object.entries(plan.stays).map(([f, why]) => `${f} (${why})`).join('; ')}.`,
    '',
    '| variable | meaning |',
    '| --- | --- |',
    ...Object.entries(SCRIPT_ENV).map(([k, v]) => `| \`${k}\` | ${v} |`),
    '',
  ];
  return lines.join('\n');
}
