// Test-only stand-in for k6/metrics: every sample lands in `recorded` for assertions.
export const recorded: { name: string; value: number; tags: Record<string, string> }[] = [];
class Metric {
  constructor(readonly name: string) {}
  add(value: number | boolean, tags: Record<string, string> = {}): void {
    recorded.push({ name: this.name, value: Number(value), tags });
  }
}
export class Counter extends Metric {}
export class Gauge extends Metric {}
export class Rate extends Metric {}
export class Trend extends Metric {}
