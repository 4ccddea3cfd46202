// One sentence per gate saying what its result means for the people using the mail service.
import type { GateResult } from '../../harness/result-schema.ts';
import { describeMetric, type Declarations } from './metric-info.ts';
import { parseExpression, parseMetric } from './metric-name.ts';
import { formatValue, statUnit } from './format.ts';

const MINUTE = 60_000;

function latencyImpact(ms: number, ok: boolean): string {
  if (ok) return 'within target, so users would not notice';
  if (ms >= 10 * MINUTE) return 'users were effectively shut out';
  if (ms >= MINUTE) return 'users saw mail arrive minutes late';
  return 'users noticed the delay';
}

function statWord(stat: string): string {
  const p = /^p\((\d+(?:\.\d+)?)\)$/.exec(stat);
  if (p) return `p${p[1]}`;
  return stat === 'med' ? 'median' : stat === 'avg' ? 'average' : stat;
}

/**
 * GateResult.description (what a failure means for users) when the scenario wrote one, else
 * a sentence built from the metric family. A passing gate's description is said as averted.
 */
export function gateSentence(gate: GateResult, declarations: Declarations | undefined): string {
  if (gate.notEvaluated !== undefined) return `Not evaluated: ${gate.notEvaluated}; this run shows neither a pass nor a failure here.`;
  if (gate.observed === null) return `Not judged: ${gate.reason ?? 'no samples were recorded'}; treat the result as unknown.`;
  if (!gate.description) return cap(generatedSentence(gate, declarations));
  const text = gate.description.trim().replace(/\.$/, '');
  if (!gate.ok) return `${cap(text)}.`;
  return `Did not happen: ${text[0]!.toLowerCase()}${text.slice(1)}.`;
}

function generatedSentence(gate: GateResult, declarations: Declarations | undefined): string {
  const { name, tags } = parseMetric(gate.metric);
  const info = describeMetric(name, undefined, declarations);
  const expr = parseExpression(gate.expression);
  const who = tags['flow'] ? `${tags['flow']} ` : '';
  if (gate.observed === null || !expr) {
    return `Not judged: ${gate.reason ?? 'no samples were recorded'}; treat the result as unknown.`;
  }
  const unit = statUnit(expr.stat, info.unit);
  const observed = formatValue(gate.observed, unit);
  const limit = formatValue(expr.threshold, unit);
  const n = gate.observed;
  switch (name) {
    case 'delivery_latency':
      return `${cap(who)}mail ${statWord(expr.stat)} took ${observed} to arrive (limit ${limit}); ${latencyImpact(n, gate.ok)}.`;
    case 'mail_lost':
      return n === 0 ? 'No message was lost: every accepted message was delivered or bounced.'
        : `${observed} accepted message${n === 1 ? ' was' : 's were'} lost: recipients never got ${n === 1 ? 'it' : 'them'} and the senders were never told.`;
    case 'mail_duplicated':
      return n === 0 ? 'No message was delivered twice.' : `${observed} message${n === 1 ? ' was' : 's were'} delivered more than once, cluttering inboxes.`;
    case 'locked_accounts':
      return `Up to ${observed} accounts were locked (limit ${limit}); those users could not read or send mail until unlocked.`;
    case 'helpdesk_backlog':
      return `Up to ${observed} unlock requests waited for the helpdesk (limit ${limit}); ${gate.ok ? 'engineers kept up' : 'locked-out users waited for engineers who could not keep up'}.`;
    case 'queue_depth':
      return `The delivery queue reached ${observed} messages (limit ${limit}); ${gate.ok ? 'it absorbed the load' : 'new mail waited behind it or was refused'}.`;
    case 'migration_projected_ratio':
      return `At ${gate.observed >= 1e6 ? 'a checkpoint the migration was projected never to finish' : `worst the migration was projected to take ${Number(gate.observed.toFixed(2))}× its window`}: ${gate.ok ? 'go' : 'no-go, roll back'}.`;
    case 'migration_projected_completion':
      return `The migration was projected to finish at ${observed} against a ${limit} window: ${gate.ok ? 'go' : 'it would not fit, so roll back or stop'}.`;
  }
  if (info.unit === 'ms' && unit === 'ms') {
    return `${cap(who)}${info.noun} ${statWord(expr.stat)} took ${observed} (limit ${limit}); ${latencyImpact(n, gate.ok)}.`;
  }
  if (unit === 'ratio') {
    const verb = info.higherIsWorse ? 'failed' : 'succeeded';
    return `${observed} of ${who}${info.noun} ${verb} (limit ${expr.op} ${limit}); ${gate.ok ? 'within what users tolerate' : 'users saw failures they would report'}.`;
  }
  return `${cap(who)}${info.noun} ${statWord(expr.stat)} was ${observed}, ${gate.ok ? 'within' : 'outside'} the limit ${expr.op} ${limit}.`;
}

function cap(text: string): string {
  return text ? text[0]!.toUpperCase() + text.slice(1) : text;
}
