// Every metric a real run recorded was declared by the code that records it (kind, unit,
// label), so reports read what it is instead of guessing from its name.
import type { ExecutionContext } from 'ava';
import type { RunResult } from '../../harness/result-schema.ts';

export function allMetricsDeclared(t: ExecutionContext, result: RunResult): void {
  const declarations = result.metricDeclarations ?? {};
  const recorded = new Set([...result.metrics.map((m) => m.name), ...result.series.map((s) => s.metric)]);
  t.true(recorded.size >= 5, `${recorded.size} metrics recorded`);
  const undeclared = [...recorded].filter((name) => !declarations[name] || declarations[name].implicit).sort();
  t.deepEqual(undeclared, [], 'metrics recorded with no declaration');
  for (const name of recorded) {
    const d = declarations[name];
    if (d) t.true(d.label.trim().length > 0 && !/[_.]/.test(d.label), `${name}: a label in words, not a name (${d.label})`);
  }
}
