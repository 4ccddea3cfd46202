import test from 'ava';
import { z } from 'zod';
import { InputError } from '../../engine/errors.ts';
import { describeParams, parseSetValues, resolveParams } from '../../harness/scenario/params.ts';
import { defineScenario } from '../../harness/scenario/types.ts';

const params = z.object({
  users: z.number().int().min(1).max(100).default(10).describe('mailboxes'),
  storm: z.boolean().default(false),
  policy: z.enum(['ad', 'smart']).default('ad'),
  duration: z.string().default('30s'),
});

const scenario = defineScenario({
  name: 'params-fixture',
  description: 'd',
  incident: 'i',
  params,
  scale: (p, f) => ({ ...p, users: p.users * f }),
  options: () => ({ scenarios: {} }),
  flows: { a: async () => {} },
});

test('--set values are converted by the field type', (t) => {
  t.deepEqual(parseSetValues(params, ['users=5', 'storm=true', 'policy=smart', 'duration=90s']), {
    users: 5, storm: true, policy: 'smart', duration: '90s',
  });
});

test('an unknown key names the allowed keys', (t) => {
  const error = t.throws(() => parseSetValues(params, ['nope=1']), { instanceOf: InputError });
  t.regex(error.message, /nope/);
  t.regex(error.message, /users, storm, policy, duration/);
});

test('a wrong type names the key and the type', (t) => {
  t.throws(() => parseSetValues(params, ['users=many']), { instanceOf: InputError, message: /users must be a number/ });
  t.throws(() => parseSetValues(params, ['storm=maybe']), { instanceOf: InputError, message: /storm must be true or false/ });
  t.throws(() => parseSetValues(params, ['policy=strict']), { instanceOf: InputError, message: /policy must be one of ad, smart/ });
});

test('out of range names the key and the limit', (t) => {
  const error = t.throws(() => resolveParams(scenario, { set: ['users=500'] }), { instanceOf: InputError });
  t.regex(error.message, /users=500/);
  t.regex(error.message, /100/);
});

test('--scale applies the scenario\'s scale and validates again', (t) => {
  t.is(resolveParams(scenario, { set: ['users=20'], scale: 2 }).params.users, 40);
  t.throws(() => resolveParams(scenario, { set: ['users=60'], scale: 2 }), { instanceOf: InputError, message: /users/ });
});

test('--duration sets the duration parameter and must be a duration', (t) => {
  t.is(resolveParams(scenario, { duration: '2m' }).params.duration, '2m');
  t.throws(() => resolveParams(scenario, { duration: 'soon' }), { instanceOf: InputError, message: /--duration/ });
});

test('describeParams lists kind, default and description', (t) => {
  const users = describeParams(params).find((p) => p.key === 'users');
  t.like(users, { kind: 'number', default: 10, description: 'mailboxes' });
  t.deepEqual(describeParams(params).find((p) => p.key === 'policy')?.values, ['ad', 'smart']);
});
