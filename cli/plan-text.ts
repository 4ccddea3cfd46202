// `mailstorm plan` in words and as a table: the load per endpoint, the executors it comes
// from, flows that declare no load, and on a remote stack every cap beside its figure.
import type { EndpointPlan, LoadPlan } from '../harness/plan/load-plan.ts';
import type { EndpointCap } from '../stack/remote/config.ts';

const num = (n: number | null, digits = 2): string => (n === null ? 'unbounded' : String(Math.round(n * 10 ** digits) / 10 ** digits));

function bytes(n: number | null): string {
  if (n === null) return 'unbounded';
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

export interface PlanView {
  load: LoadPlan;
  stack: string;
  /** remote stacks: each endpoint's cap */
  caps?: Record<string, EndpointCap>;
  /** remote stacks: endpoints the plan loads that the config does not name */
  unnamed?: string[];
  breaches?: string[];
}

export function planText(view: PlanView): string {
  const { load } = view;
  const lines = [`plan: ${load.scenario} on the ${view.stack} stack; nothing is sent`, `load: ${num(load.durationMs / 1000, 1)} s`, ''];
  lines.push(table([
    ['executor', 'flow', 'kind', 'iterations', 'peak it/s', 'at once', 'load'],
    ...load.executors.map((e) => [e.scenario, e.flow, e.executor, e.iterations === null ? 'time-bound' : String(e.iterations), e.peakIterationsPerSec === null ? 'unpaced' : num(e.peakIterationsPerSec), String(e.peakConcurrency), e.declared ? (e.note ?? 'declared') : 'load not declared']),
  ]), '');
  const capCell = (e: EndpointPlan) => {
    const cap = view.caps?.[e.endpoint];
    return cap ? `${cap.rate}/s, ${cap.connections} conn` : '-';
  };
  if (load.endpoints.length) {
    lines.push(table([
      ['endpoint', 'peak msg/s', 'peak req/s', 'connections', 'messages', 'bytes', 'requests', ...(view.caps ? ['cap'] : [])],
      ...load.endpoints.map((e) => [e.endpoint, num(e.peakMessagesPerSec), num(e.peakRequestsPerSec), String(e.peakConnections), num(e.messages, 0), bytes(e.bytes), num(e.requests, 0), ...(view.caps ? [capCell(e)] : [])]),
    ]));
  } else {
    lines.push('no endpoint load declared');
  }
  for (const flow of load.undeclared) lines.push(`flow ${flow}: load not declared (the scenario's load field names no figures for it)`);
  for (const name of view.unnamed ?? []) lines.push(`endpoint ${name}: the --config file names no such endpoint; the run would stop with a stack error`);
  if (view.breaches?.length) lines.push('', 'a run would stop before sending anything (exit 2):', ...view.breaches.map((b) => `  ${b}`));
  else if (view.caps) lines.push('', 'within every cap');
  return `${lines.join('\n')}\n`;
}
