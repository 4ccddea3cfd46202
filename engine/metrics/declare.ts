// Declares a module's metrics in one call, from the table that module keeps beside its code.
import type { MetricDeclaration, MetricsSink } from './types.ts';

export type DeclarationTable = Readonly<Record<string, Omit<MetricDeclaration, 'implicit'>>>;

export function declareAll(metrics: MetricsSink, table: DeclarationTable): void {
  for (const [name, declaration] of Object.entries(table)) metrics.declare(name, declaration);
}
