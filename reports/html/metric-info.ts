// What a report says about a metric, read from the declaration its creator wrote into
// result.json (kind, unit, label, topic, which way is worse). A metric nobody declared (a
// k6 custom metric, a result written before declarations) is described from its kind only
// and charted on its own, in the 'other' group.
import type { MetricDeclaration, MetricKind, MetricUnit } from '../../engine/metrics/types.ts';

export type ChartGroup =
  | 'throughput'
  | 'errors'
  | 'rates'
  | 'latency'
  | 'queue'
  | 'lockouts'
  | 'migration'
  | 'delivery'
  | 'harness'
  | 'other';

/** ms: durations; count: how many; ratio: 0..1; s: seconds. */
export type Unit = 'ms' | 'count' | 'ratio' | 's';

/** result.json's metricDeclarations, by metric name. */
export type Declarations = Readonly<Record<string, MetricDeclaration>>;

export interface MetricInfo {
  group: ChartGroup;
  unit: Unit;
  /** Plain words for sentences: "mail", "submissions". */
  noun: string;
  /** True when a higher value is bad news (failures, lags); false for successes and throughput. */
  higherIsWorse: boolean;
  /** False when nobody declared the metric, so all of this came from its kind. */
  declared: boolean;
}

const REPORT_UNIT: Record<MetricUnit, Unit> = { ms: 'ms', 'simulated-ms': 'ms', s: 's', ratio: 'ratio', count: 'count', bytes: 'count' };

export function describeMetric(name: string, kind: MetricKind | undefined, declarations: Declarations | undefined): MetricInfo {
  const declared = declarations?.[name];
  if (declared && !declared.implicit) {
    return {
      group: declared.kind === 'rate' ? 'rates' : declared.topic ?? (declared.kind === 'trend' ? 'latency' : 'other'),
      unit: REPORT_UNIT[declared.unit],
      noun: declared.label,
      higherIsWorse: declared.worse !== 'lower',
      declared: true,
    };
  }
  const k = declared?.kind ?? kind;
  return {
    group: 'other',
    unit: k === 'rate' ? 'ratio' : k === 'trend' ? 'ms' : 'count',
    noun: name.replaceAll(/[._]/g, ' '),
    higherIsWorse: true,
    declared: false,
  };
}
