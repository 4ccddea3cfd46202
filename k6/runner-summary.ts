// One runner's mailstorm-summary.json (written by the exported script's handleSummary),
// checked field by field so a wrong file is named, never a stack trace.
import { z } from 'zod';
import { InputError } from '../engine/errors.ts';

const K6Metric = z.object({
  type: z.enum(['counter', 'rate', 'gauge', 'trend']),
  values: z.record(z.string(), z.number().nullable()),
  thresholds: z.record(z.string(), z.object({ ok: z.boolean() })).optional(),
});

export const RunnerSummarySchema = z.object({
  mailstorm: z.object({
    scenario: z.string(),
    params: z.record(z.string(), z.unknown()),
    gates: z.record(z.string(), z.array(z.unknown())),
    stays: z.record(z.string(), z.string()),
    tracked: z.array(z.object({ metric: z.string(), flow: z.string(), kind: z.enum(['counter', 'rate', 'trend']), k6: z.string() })),
    histogram: z.object({ kind: z.literal('log-linear'), relativeError: z.number().positive().lt(1), low: z.number().positive(), high: z.number().positive() }),
    judgedAfter: z.array(z.string()),
  }),
  runId: z.string(),
  segment: z.string(),
  segmentSequence: z.string(),
  k6: z.object({
    metrics: z.record(z.string(), K6Metric),
    state: z.object({ testRunDurationMs: z.number() }).partial().optional(),
  }),
});

export type RunnerSummary = z.infer<typeof RunnerSummarySchema> & { file: string };

export function parseRunnerSummary(text: string, file: string): RunnerSummary {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${file}: not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const parsed = RunnerSummarySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError(`${file}: not a mailstorm runner summary: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  return { ...parsed.data, file };
}
