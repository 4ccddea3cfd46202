// The text of the exported script.ts: k6 >= 0.57 runs it as it is; bundle.ts turns it into an
// es2017 script.js for older k6. Only the dialogues the exported flows need are included, so
// a script without an SMTP or IMAP flow imports no extension and runs on a stock k6 binary.
import type { ExportedFlow } from './flow-map.ts';
import type { K6Options } from './k6-options.ts';
import { HISTOGRAM, recorderSource, trackedSeries } from './mergeable.ts';

export interface ScriptPlan {
  scenario: string;
  params: Record<string, unknown>;
  options: K6Options;
  /** mailstorm's thresholds with their descriptions, for `mailstorm import k6`. */
  gates: unknown;
  /** exec name -> dialogue */
  flows: Record<string, ExportedFlow>;
  /** flows that stay in mailstorm, with why */
  stays: Record<string, string>;
  /** the SMTP/IMAP dialogues' TLS unless <PROTOCOL>_TLS says otherwise: none, or implicit (TLS at connect) */
  tls?: 'none' | 'implicit';
  /** how accounts log in unless AUTH says otherwise: password, or oauth2 (XOAUTH2; the token is read at run time, never written here) */
  auth?: 'password' | 'oauth2';
}

const SMTP_DIALOGUE = `
async function smtpMail(endpoint: 'SMTP' | 'SUBMISSION', from: string, to: string, login: Account | undefined, flow: string): Promise<void> {
  const id = RUN_ID + '-' + exec.scenario.name + '-' + exec.scenario.iterationInTest;
  const started = Date.now();
  let lines: Lines | undefined;
  try {
    // inside the try: a refused connection or TLS handshake is a failed send too
    lines = await tcpSession(endpoint, endpoint === 'SMTP' ? '2525' : '2587', '465', flow);
    await lines.expect('220');
    await lines.send('EHLO k6.mailstorm.test', '250');
    if (login !== undefined) await lines.send(OAUTH2 ? 'AUTH XOAUTH2 ' + xoauth2(login) : 'AUTH PLAIN ' + base64('\\u0000' + from + '\\u0000' + login.password), '235');
    await lines.send('MAIL FROM:<' + from + '>', '250');
    await lines.send('RCPT TO:<' + to + '>', '250');
    await lines.send('DATA', '354');
    const body = 'From: <' + from + '>\\r\\nTo: <' + to + '>\\r\\nSubject: mailstorm k6 ' + id + '\\r\\nX-Mailstorm-Id: ' + id + '\\r\\nX-Mailstorm-Flow: ' + flow + '\\r\\n\\r\\n' + filler(Number(env('SIZE_BYTES', '1024'))) + '\\r\\n.';
    await lines.send(body, '250');
    // One reading for both: k6's own trend and the mergeable one must see the same sample.
    const took = Date.now() - started;
    smtpSent.add(1, { flow });
    smtpTime.add(took, { flow });
    track('k6_smtp_sent', flow, 1);
    track('k6_smtp_time', flow, took);
    await lines.send('QUIT', '221');
  } catch (error) {
    smtpFailed.add(1, { flow });
    track('k6_smtp_failed', flow, 1);
    throw error;
  } finally {
    if (lines !== undefined) lines.close();
  }
}
`;

const IMAP_DIALOGUE = `
async function imapLogin(user: Account, flow: string): Promise<string> {
  const started = Date.now();
  let lines: Lines | undefined;
  let answered = false;
  try {
    lines = await tcpSession('IMAP', '2143', '993', flow);
    await lines.expect('* OK');
    let answer = OAUTH2
      ? await lines.send('a1 AUTHENTICATE XOAUTH2 ' + xoauth2(user), '')
      : await lines.send('a1 LOGIN "' + user.address + '" "' + user.password + '"', 'a1 ');
    // a refused XOAUTH2 token gets a "+ <error>" challenge first; the empty answer ends the exchange
    if (answer.startsWith('+')) answer = await lines.send('', 'a1 ');
    const ok = answer.startsWith('a1 OK');
    const took = Date.now() - started;
    answered = true;
    imapLogins.add(ok, { flow });
    imapTime.add(took, { flow });
    track('k6_imap_login_ok', flow, ok ? 1 : 0);
    track('k6_imap_login_time', flow, took);
    await lines.send('a2 LOGOUT', 'a2 ');
    return answer;
  } catch (error) {
    // no answer to LOGIN (refused, TLS, closed, timed out): the user could not log in
    if (!answered) {
      imapLogins.add(false, { flow });
      track('k6_imap_login_ok', flow, 0);
    }
    throw error;
  } finally {
    if (lines !== undefined) lines.close();
  }
}
`;

// A line reader over k6/x/tcp's Socket (grafana/xk6-tcp, Promise API from v0.2): resolves on
// the first reply line starting with the expected prefix, rejects on any other final reply, on
// close, on a socket error and on TCP_TIMEOUT_MS without a reply, so no iteration hangs.
const TCP_SESSION = `
interface Lines { expect(prefix: string): Promise<string>; send(line: string, prefix: string): Promise<string>; close(): void }
const TCP_TIMEOUT_MS = Number(env('TCP_TIMEOUT_MS', '30000'));

// __ENV.<SMTP|SUBMISSION|IMAP>_TLS: implicit (TLS from the first byte, ports 465/993) or none.
// xk6-tcp starts TLS only at connect and cannot upgrade a socket, so STARTTLS is refused by name.
function tlsFor(protocol: string): boolean {
  const v = env(protocol + '_TLS', DEFAULT_TLS).toLowerCase();
  if (v === 'implicit') return true;
  if (v === 'none') return false;
  if (v === 'starttls') throw new Error(protocol + '_TLS=starttls: k6/x/tcp starts TLS only at connect and cannot upgrade a socket (no STARTTLS); use the implicit-TLS port (465 SMTP, 993 IMAP) with ' + protocol + '_TLS=implicit');
  throw new Error(protocol + '_TLS="' + v + '": use implicit or none');
}

async function tcpSession(protocol: string, plainPort: string, tlsPort: string, flow: string): Promise<Lines> {
  const tls = tlsFor(protocol);
  const host = env(protocol + '_HOST', '127.0.0.1');
  const port = Number(env(protocol + '_PORT', tls ? tlsPort : plainPort));
  const socket = new Socket({ tags: { flow } });
  let buffer = '';
  const queue: string[] = [];
  let waiting: { resolve: (line: string) => void; reject: (e: Error) => void } | undefined;
  let ended: Error | undefined;
  const end = (e: Error) => {
    if (ended === undefined) ended = e;
    if (waiting) { const w = waiting; waiting = undefined; w.reject(ended); }
  };
  // xk6-tcp hands each read as bytes it reuses once this listener returns: copy them out now
  socket.on('data', (data: Uint8Array) => {
    const bytes = new Uint8Array(data);
    for (let i = 0; i < bytes.length; i += 4096) buffer += String.fromCharCode.apply(null, Array.from(bytes.subarray(i, i + 4096)));
    let at = buffer.indexOf('\\r\\n');
    while (at >= 0) {
      const line = buffer.slice(0, at);
      buffer = buffer.slice(at + 2);
      if (waiting) { const w = waiting; waiting = undefined; w.resolve(line); } else queue.push(line);
      at = buffer.indexOf('\\r\\n');
    }
  });
  socket.on('close', () => end(new Error('connection to ' + host + ':' + port + ' closed')));
  socket.on('error', (e: Error) => end(e));
  socket.on('timeout', () => { end(new Error('no reply from ' + host + ':' + port + ' in ' + TCP_TIMEOUT_MS + ' ms')); socket.destroy(); });
  socket.setTimeout(TCP_TIMEOUT_MS);
  await socket.connect({ port, host, tls, tags: { flow } });
  const next = (): Promise<string> => new Promise((resolve, reject) => {
    const l = queue.shift();
    if (l !== undefined) resolve(l);
    else if (ended !== undefined) reject(ended);
    else waiting = { resolve, reject };
  });
  const expect = async (prefix: string): Promise<string> => {
    for (let i = 0; i < 1000; i++) {
      const line = await next();
      // SMTP continuation lines ("250-...") and IMAP untagged lines ("* ...") come before the answer
      if (/^\\d{3}-/.test(line) || (line.startsWith('* ') && prefix !== '* OK')) continue;
      if (line.startsWith(prefix)) return line;
      throw new Error('expected ' + prefix + ', got: ' + line);
    }
    throw new Error('no ' + prefix + ' in 1000 lines');
  };
  return {
    expect,
    async send(line, prefix) { await socket.write(line + '\\r\\n'); return expect(prefix); },
    close() { socket.destroy(); },
  };
}

// AUTH=oauth2: SASL XOAUTH2 with the account's own token (the accounts file's "token") or the
// one token OAUTH2_TOKEN gives every account; neither is ever part of this script.
function tokenOf(user: Account): string {
  const token = user.token || env('OAUTH2_TOKEN', '');
  if (token === '') throw new Error('AUTH=oauth2: ' + user.address + ' has no token: set OAUTH2_TOKEN, or give an ACCOUNTS_FILE with a token per account (mailstorm fakes up --config with auth: oauth2 --accounts-out FILE)');
  return token;
}
function xoauth2(user: Account): string {
  return base64('user=' + user.address + '\\u0001auth=Bearer ' + tokenOf(user) + '\\u0001\\u0001');
}

function filler(n: number): string {
  let s = '';
  while (s.length < n) s += 'mailstorm k6 filler line of seventy-six characters for the message size..\\r\\n';
  return s.slice(0, n);
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
function base64(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i += 3) {
    const a = s.charCodeAt(i), b = s.charCodeAt(i + 1), c = s.charCodeAt(i + 2);
    const n = (a << 16) | ((b || 0) << 8) | (c || 0);
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]! + (i + 1 < s.length ? B64[(n >> 6) & 63]! : '=') + (i + 2 < s.length ? B64[n & 63]! : '=');
  }
  return out;
}
`;

const ACTIVESYNC_DIALOGUE = `
async function activesyncPing(user: Account, device: string, password: string, flow: string): Promise<number> {
  // the exported ActiveSync flow is the stale device retrying an old password: an OAuth2-only
  // platform never checks one, so it is refused by name rather than sent with a Bearer token
  if (OAUTH2) throw new Error('AUTH=oauth2: the ActiveSync flow replays a stale device\\'s old password, which a platform taking OAuth2 only never checks; run it against a platform with passwords (AUTH=password) or export without it (--flows)');
  const url = env('ACTIVESYNC_URL', 'http://127.0.0.1:2580') + '/Microsoft-Server-ActiveSync?Cmd=Ping&User=' + encodeURIComponent(user.address) + '&DeviceId=' + device + '&DeviceType=k6';
  const res = await http.asyncRequest('POST', url, '', { headers: { Authorization: 'Basic ' + b64(user.address + ':' + password) }, tags: { flow } });
  activesyncAnswers.add(1, { flow, status: String(res.status), auth: String(res.headers['X-Mailstorm-Auth'] || '') });
  track('k6_activesync_answers', flow, 1);
  track('http_reqs', flow, 1);
  // k6's default: a status of 400 or more is a failed request
  track('http_req_failed', flow, res.status >= 400 ? 1 : 0);
  track('http_req_duration', flow, res.timings.duration);
  return res.status;
}
`;

function flowBody(exec: string, flow: ExportedFlow): string {
  switch (flow.kind) {
    case 'smtp':
      return `export async function ${exec}(): Promise<void> {
  await iteration('${exec}', async () => {
    const from = pick(), to = pick();
    await smtpMail('${flow.endpoint === 'smtp' ? 'SMTP' : 'SUBMISSION'}', from.address, to.address, ${flow.endpoint === 'submission' ? 'from' : 'undefined'}, '${exec}');
  });
}`;
    case 'imap-login':
      return `export async function ${exec}(): Promise<void> {
  await iteration('${exec}', async () => { await imapLogin(pick(), '${exec}'); });
}`;
    case 'activesync':
      // The stale device: the user's password changed under the strict policy, the device
      // keeps retrying the old one, so the directory answers 401 until it locks the account.
      return `export async function ${exec}(): Promise<void> {
  await iteration('${exec}', async () => {
    const user = pick();
    await activesyncPing(user, 'k6-' + exec.vu.idInTest, 'stale-' + user.password, '${exec}');
  });
}`;
  }
}

export function scriptSource(plan: ScriptPlan): string {
  const kinds = new Set(Object.values(plan.flows).map((f) => f.kind));
  const tcp = kinds.has('smtp') || kinds.has('imap-login');
  const httpUsed = kinds.has('activesync');
  const out: string[] = [];
  out.push(`// Exported by mailstorm from scenario "${plan.scenario}". Flows that stay in mailstorm: ${Object.keys(plan.stays).length === 0 ? 'none' : Object.entries(plan.stays).map(([f, why]) => `${f} (${why})`).join('; ')}.`);
  out.push(`import exec from 'k6/execution';`, `import { SharedArray } from 'k6/data';`, `import { Counter, Gauge, Rate, Trend } from 'k6/metrics';`);
  if (httpUsed) out.push(`import http from 'k6/http';`, `import encoding from 'k6/encoding';`);
  // xk6-tcp ships its own index.d.ts for k6/x/tcp; @types/k6 does not describe extensions
  if (tcp) out.push(`import { Socket } from 'k6/x/tcp';`);
  out.push('');
  out.push(`export const options = ${JSON.stringify({ ...plan.options, summaryTrendStats: ['count', 'avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'] }, null, 2)};`);
  const judgedAfter = gateOnlyMetrics(plan.options);
  const mailstorm = { scenario: plan.scenario, params: plan.params, gates: plan.gates, stays: plan.stays, tracked: trackedSeries(plan.flows), histogram: HISTOGRAM, judgedAfter: judgedAfter.map((m) => m.name) };
  out.push(`const MAILSTORM = ${JSON.stringify(mailstorm)};`);
  out.push(`
interface Account { address: string; password: string; token?: string }
function env(name: string, fallback: string): string { const v = __ENV[name]; return v === undefined || v === '' ? fallback : v; }
const RUN_ID = env('RUN_ID', 'k6');
// AUTH: password (AUTH PLAIN, IMAP LOGIN) or oauth2 (SASL XOAUTH2); default from \`export k6 --auth\`.
const AUTH = env('AUTH', '${plan.auth ?? 'password'}').toLowerCase();
if (AUTH !== 'password' && AUTH !== 'oauth2') throw new Error('AUTH="' + AUTH + '": use password or oauth2');
const OAUTH2 = AUTH === 'oauth2';
// The population written by \`mailstorm fakes up --accounts-out accounts.json\`, loaded once at init.
const accounts = new SharedArray('accounts', function () { return JSON.parse(open(env('ACCOUNTS_FILE', './accounts.json'))).accounts as Account[]; });
function pick(): Account { return accounts[Math.floor(Math.random() * accounts.length)] as Account; }
`);
  if (tcp) out.push(`const smtpSent = new Counter('k6_smtp_sent');\nconst smtpFailed = new Counter('k6_smtp_failed');\nconst smtpTime = new Trend('k6_smtp_time', true);\nconst imapLogins = new Rate('k6_imap_login_ok');\nconst imapTime = new Trend('k6_imap_login_time', true);`);
  if (httpUsed) out.push(`const activesyncAnswers = new Counter('k6_activesync_answers');\nfunction b64(s: string): string { return encoding.b64encode(s); }`);
  if (tcp) out.push(`const DEFAULT_TLS = '${plan.tls ?? 'none'}';`, TCP_SESSION);
  if (kinds.has('smtp')) out.push(SMTP_DIALOGUE);
  if (kinds.has('imap-login')) out.push(IMAP_DIALOGUE);
  if (httpUsed) out.push(ACTIVESYNC_DIALOGUE);
  out.push(recorderSource());
  out.push(gateMetrics(judgedAfter));
  for (const [exec, flow] of Object.entries(plan.flows)) out.push(flowBody(exec, flow), '');
  out.push(`// The runner's own summary plus what \`mailstorm import k6\` needs to judge the run: k6's data
// holds the mergeable series (MAILSTORM.tracked), the segment says which part of the run this was.
export function handleSummary(data: unknown): Record<string, string> {
  let segment = '', sequence = '';
  try {
    const o = exec.test.options;
    segment = String(o.executionSegment || '');
    sequence = String(o.executionSegmentSequence || '');
  } catch (e) {
    // k6 before v0.38 has no exec.test.options: the segment comes from the environment
  }
  segment = segment || env('K6_EXECUTION_SEGMENT', '');
  // {segment} in SUMMARY_FILE gives each runner its own file on a shared volume: 1/3:2/3 -> 1-3_2-3
  const file = env('SUMMARY_FILE', 'mailstorm-summary.json').replace('{segment}', segment === '' ? 'all' : segment.split('/').join('-').split(':').join('_'));
  const summary = { mailstorm: MAILSTORM, runId: RUN_ID, segment, segmentSequence: sequence || env('K6_EXECUTION_SEGMENT_SEQUENCE', ''), k6: data };
  return { [file]: JSON.stringify(summary, null, 2) };
}
`);
  return out.join('\n');
}

const OWN_METRICS = new Set(['k6_smtp_sent', 'k6_smtp_failed', 'k6_smtp_time', 'k6_imap_login_ok', 'k6_imap_login_time', 'k6_activesync_answers']);

/**
 * k6 refuses thresholds on metrics the script never declares. The gates mailstorm computes
 * itself (ledger, lockout figures) are declared here, never written by k6, and judged by
 * `mailstorm import k6`; the kind follows the gate's statistic.
 */
function gateMetrics(metrics: readonly { name: string; kind: string }[]): string {
  const lines = metrics.map((m) => `new ${m.kind}('${m.name}');`);
  return lines.length === 0 ? '' : `// Gates mailstorm judges after the run (ledger, lockout figures): declared so k6 accepts the thresholds.\n${lines.join('\n')}\n`;
}

/** Metrics the thresholds name that neither the script nor k6 itself records; the kind follows the gate's statistic. */
export function gateOnlyMetrics(options: K6Options): { name: string; kind: string }[] {
  const out: { name: string; kind: string }[] = [];
  for (const [key, list] of Object.entries(options.thresholds)) {
    const name = key.split('{')[0]!;
    if (OWN_METRICS.has(name) || BUILT_IN.has(name) || out.some((m) => m.name === name)) continue;
    const first = list[0];
    const expression = typeof first === 'string' ? first : (first?.threshold ?? '');
    const kind = /^(p\(|avg|med)/.test(expression) ? 'Trend' : /^count/.test(expression) ? 'Counter' : /^rate/.test(expression) ? 'Rate' : 'Gauge';
    out.push({ name, kind });
  }
  return out;
}

const BUILT_IN = new Set(['http_req_duration', 'http_req_failed', 'http_reqs', 'iterations', 'iteration_duration', 'dropped_iterations', 'checks', 'data_sent', 'data_received', 'vus', 'vus_max']);
