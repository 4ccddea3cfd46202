// The parameter tables of the built-in scenarios as Markdown (`mailstorm list --markdown`):
// the README's "Replay parameters" section is this output, and a test keeps the two equal.
import { describeParams } from '../harness/scenario/params.ts';
import type { ScenarioDefinition } from '../harness/scenario/types.ts';

export function paramsMarkdown(scenarios: readonly ScenarioDefinition[]): string {
  const out: string[] = [];
  for (const s of scenarios) {
    out.push(`#### \`${s.name}\``, '', '| parameter | type | default | meaning |', '| --- | --- | --- | --- |');
    for (const p of describeParams(s.params)) {
      const type = p.kind === 'enum' ? (p.values ?? []).join(' \\| ') : p.kind;
      const def = p.default === undefined ? '' : `\`${formatDefault(p.default)}\``;
      out.push(`| \`${p.key}\` | ${type} | ${def} | ${(p.description ?? '').replace(/\|/g, '\\|')} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

function formatDefault(value: unknown): string {
  // long fractions (a share computed from incident figures) read better rounded
  if (typeof value === 'number' && !Number.isInteger(value)) return String(Number(value.toPrecision(4)));
  return typeof value === 'string' ? value : JSON.stringify(value);
}
