// A MetricsSink that keeps every call, so tests can assert what was recorded.
import type { MetricDeclaration, MetricsSink, Tags } from '../../engine/metrics/types.ts';

export interface Recorded {
  kind: 'count' | 'rate' | 'gauge' | 'trend';
  name: string;
  value: number;
  tags: Tags;
}

export class RecordingMetrics implements MetricsSink {
  readonly records: Recorded[] = [];
  readonly declared = new Map<string, Omit<MetricDeclaration, 'implicit'>>();
  declare(name: string, declaration: Omit<MetricDeclaration, 'implicit'>): void {
    if (!this.declared.has(name)) this.declared.set(name, declaration);
  }
  count(name: string, value = 1, tags: Tags = {}): void {
    this.records.push({ kind: 'count', name, value, tags });
  }
  rate(name: string, ok: boolean, tags: Tags = {}): void {
    this.records.push({ kind: 'rate', name, value: ok ? 1 : 0, tags });
  }
  gauge(name: string, value: number, tags: Tags = {}): void {
    this.records.push({ kind: 'gauge', name, value, tags });
  }
  trend(name: string, value: number, tags: Tags = {}): void {
    this.records.push({ kind: 'trend', name, value, tags });
  }
  /** Sum of a counter (or number of samples of anything else) matching the tags given. */
  total(name: string, tags: Tags = {}): number {
    return this.records
      .filter((r) => r.name === name && Object.entries(tags).every(([k, v]) => r.tags[k] === v))
      .reduce((sum, r) => sum + (r.kind === 'count' ? r.value : 1), 0);
  }
  last(name: string): number | undefined {
    return this.records.filter((r) => r.name === name).at(-1)?.value;
  }
}
