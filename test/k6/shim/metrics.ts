// Test-only stand-in for k6/metrics: every sample lands in `recorded` for assertions.
export type Kind = 'counter' | 'gauge' | 'rate' | 'trend';
export const recorded: { name: string; kind: Kind; value: number; tags: Record<string, string> }[] = [];
abstract class Metric {
  abstract readonly kind: Kind;
  constructor(readonly name: string) {}
  add(value: number | boolean, tags: Record<string, string> = {}): void {
    recorded.push({ name: this.name, kind: this.kind, value: Number(value), tags });
  }
}
export class Counter extends Metric { readonly kind = 'counter'; }
export class Gauge extends Metric { readonly kind = 'gauge'; }
export class Rate extends Metric { readonly kind = 'rate'; }
export class Trend extends Metric { readonly kind = 'trend'; }
