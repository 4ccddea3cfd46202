// Metric names as written in gates and series: "delivery_latency{flow:background}".
import type { Tags } from '../../engine/metrics/types.ts';

export interface ParsedMetric {
  name: string;
  tags: Record<string, string>;
}

export function parseMetric(text: string): ParsedMetric {
  const match = /^([^{]+)(?:\{(.*)\})?$/.exec(text.trim());
  const name = (match?.[1] ?? text).trim();
  const tags: Record<string, string> = {};
  for (const pair of (match?.[2] ?? '').split(',')) {
    const [key, ...rest] = pair.split(':');
    if (key && rest.length) tags[key.trim()] = rest.join(':').trim();
  }
  return { name, tags };
}

/** "delivery_latency{flow:background}"; tags sorted so the same series always reads the same. */
export function metricKey(name: string, tags: Tags): string {
  const keys = Object.keys(tags).sort();
  if (keys.length === 0) return name;
  return `${name}{${keys.map((k) => `${k}:${tags[k]}`).join(',')}}`;
}

/** "background" for {flow:background}; the tag values joined otherwise; "all" when untagged. */
export function tagLabel(tags: Tags): string {
  if (tags['flow']) return tags['flow'];
  const values = Object.keys(tags).sort().map((k) => `${k}=${tags[k]}`);
  return values.length ? values.join(' ') : 'all';
}

export interface ParsedExpression {
  stat: string;
  op: string;
  threshold: number;
}

/** k6 threshold expressions: "p(99)<60000", "rate>0.95", "count==0". */
export function parseExpression(expression: string): ParsedExpression | undefined {
  const match = /^\s*([a-z]+(?:\(\d+(?:\.\d+)?\))?)\s*(<=|>=|===|==|!=|<|>)\s*(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*$/i.exec(expression);
  if (!match) return undefined;
  return { stat: match[1] as string, op: match[2] as string, threshold: Number(match[3]) };
}
