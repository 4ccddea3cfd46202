// zod schemas of k6's executor configs, with messages that say what is allowed.
import { z } from 'zod';
import { parseDuration } from '../duration.ts';

const typeError = (what: string) => (issue: { input: unknown }) => (issue.input === undefined ? 'required' : `expected ${what}`);

const positiveNumber = z.number({ error: typeError('a positive number') }).positive({ error: 'expected a positive number' });
const nonNegativeNumber = z.number({ error: typeError('a number >= 0') }).min(0, { error: 'expected a number >= 0' });
const positiveInt = z.number({ error: typeError('a positive integer') }).int({ error: 'expected a positive integer' })
  .positive({ error: 'expected a positive integer' });
const nonNegativeInt = z.number({ error: typeError('an integer >= 0') }).int({ error: 'expected an integer >= 0' })
  .min(0, { error: 'expected an integer >= 0' });

function durationSchema(positive: boolean) {
  return z.union([z.string(), z.number()], { error: typeError('a duration such as "30s"') }).superRefine((value, ctx) => {
    let ms: number;
    try {
      ms = parseDuration(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: `"${value}" is not a duration (use e.g. 250ms, 90s, 1m30s, 2h)` });
      return;
    }
    if (positive && ms <= 0) ctx.addIssue({ code: 'custom', message: `expected a duration > 0, got "${value}"` });
  });
}
const duration = durationSchema(true);
const offset = durationSchema(false);

const common = {
  exec: z.string({ error: typeError('a flow name') }).min(1, { error: 'expected a flow name' }).optional(),
  startTime: offset.optional(),
  gracefulStop: offset.optional(),
  tags: z.record(z.string(), z.string(), { error: 'expected an object of string tags' }).optional(),
};

const stages = (target: z.ZodType) =>
  z.array(z.strictObject({ target, duration: offset }), { error: typeError('a list of {target, duration}') })
    .min(1, { error: 'expected at least one stage' });

export const EXECUTOR_SCHEMAS = {
  'constant-arrival-rate': z.strictObject({
    executor: z.literal('constant-arrival-rate'), ...common,
    rate: positiveNumber, timeUnit: duration.optional(), duration,
    preAllocatedVUs: positiveInt, maxVUs: positiveInt.optional(),
  }),
  'ramping-arrival-rate': z.strictObject({
    executor: z.literal('ramping-arrival-rate'), ...common,
    startRate: nonNegativeNumber.optional(), timeUnit: duration.optional(), stages: stages(nonNegativeNumber),
    preAllocatedVUs: positiveInt, maxVUs: positiveInt.optional(),
  }),
  'constant-vus': z.strictObject({
    executor: z.literal('constant-vus'), ...common, vus: positiveInt, duration,
  }),
  'ramping-vus': z.strictObject({
    executor: z.literal('ramping-vus'), ...common,
    startVUs: nonNegativeInt.optional(), stages: stages(nonNegativeInt), gracefulRampDown: offset.optional(),
  }),
  'per-vu-iterations': z.strictObject({
    executor: z.literal('per-vu-iterations'), ...common, vus: positiveInt, iterations: positiveInt, maxDuration: duration.optional(),
  }),
  'shared-iterations': z.strictObject({
    executor: z.literal('shared-iterations'), ...common, vus: positiveInt, iterations: positiveInt, maxDuration: duration.optional(),
  }),
} as const;

export type ExecutorName = keyof typeof EXECUTOR_SCHEMAS;
export const EXECUTOR_NAMES = Object.keys(EXECUTOR_SCHEMAS) as ExecutorName[];
