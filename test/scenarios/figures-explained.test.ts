// Every figure a replay reports must be readable by someone who did not write it: a unit (or
// its value in words, for coded figures) and a note saying what it is. Short, small runs of
// each replay, one after the other so they do not compete for the two cores; the figures
// that used to contradict their verdict are checked for what they now say.
import test, { type ExecutionContext } from 'ava';
import type { RunResult } from '../../harness/result-schema.ts';
import { runScenario } from './run-cli.ts';
import { SHORT_RUNS, type ShortRun } from './short-runs.ts';
import { allMetricsDeclared } from './declared.ts';

const RUNS = SHORT_RUNS;
type Name = ShortRun;
// One run at a time: each waits for the one before (whatever its outcome).
const results = new Map<Name, Promise<Awaited<ReturnType<typeof runScenario>>>>();
let previous: Promise<unknown> = Promise.resolve();
for (const [name, [file, sets]] of Object.entries(RUNS) as [Name, (typeof RUNS)[Name]][]) {
  const run = previous.catch(() => undefined).then(() => runScenario(file, sets));
  run.catch(() => {});
  results.set(name, run);
  previous = run;
}

function explained(t: ExecutionContext, result: RunResult): void {
  allMetricsDeclared(t, result);
  const figures = Object.entries(result.figures);
  t.true(figures.length >= 5, `${figures.length} figures`);
  for (const [name, f] of figures) {
    t.true(Boolean(f.unit?.trim() || f.text?.trim()), `${name}: no unit and no text (value ${f.value})`);
    t.true((f.note?.trim().length ?? 0) >= 10, `${name}: no note saying what it is`);
  }
}

const figure = (result: RunResult, name: string) => {
  const found = result.figures[name];
  if (!found) throw new Error(`no figure ${name}; figures: ${Object.keys(result.figures).join(', ')}`);
  return found;
};

test.serial('protected reply-all-storm: every figure explained; extra e-mails are the few let through, with what protection blocked beside them', async (t) => {
  t.timeout(240_000);
  const { result } = await results.get('storm-protected')!;
  explained(t, result);
  t.is(figure(result, 'storm_protection').text, 'engaged');
  const extra = figure(result, 'storm_extra_emails');
  t.is(extra.projected, undefined, 'no projection of harm in a protected run');
  t.regex(extra.note ?? '', /let through before storm protection engaged/);
  const blocked = figure(result, 'storm_emails_blocked');
  t.true(blocked.value > 0, 'protection blocked reply-alls');
  t.is(blocked.value % 3000, 0, 'blocked reply-alls x the 3,000 members');
  t.is(blocked.projected, Math.round(blocked.value * 280), 'projected to the 840,000-address list (x280)');
});

test.serial('unprotected reply-all-storm: every figure explained; the projection is set beside the incident\'s figures', async (t) => {
  t.timeout(240_000);
  const { result } = await results.get('storm-unprotected')!;
  explained(t, result);
  t.is(figure(result, 'storm_protection').text, 'not engaged');
  t.false('storm_emails_blocked' in result.figures);
  const extra = figure(result, 'storm_extra_emails');
  t.is(extra.projected, Math.round(extra.value * 280));
  t.regex(extra.note ?? '', /840,000-address list/);
  t.regex(extra.note ?? '', /500,000,000 e-mails/);
  t.regex(extra.note ?? '', /is the list's size, not the extra e-mails/);
});

test.serial('mass-lockout: every figure explained', async (t) => {
  t.timeout(240_000);
  const { result } = await results.get('lockout')!;
  explained(t, result);
  t.is(figure(result, 'forced_resets').unit, 'users');
  t.false(/[{}]/.test(figure(result, 'accounts_locked').note ?? ''), 'counts in words, not JSON');
});

test.serial('weekend-migration: every figure explained; the 50,000-account weekend says it is not the gated projection', async (t) => {
  t.timeout(240_000);
  const { result } = await results.get('migration')!;
  explained(t, result);
  const weekend = figure(result, 'weekend_of_50000_accounts_hours');
  t.is(weekend.projected, undefined, 'movers are their own figure, not a projection in hours');
  t.regex(weekend.note ?? '', /not gated/);
  t.regex(weekend.note ?? '', /projected_completion_hours, gated/);
  const movers = figure(result, 'movers_for_50000_accounts_weekend');
  t.is(movers.unit, 'movers');
  t.true(movers.value >= 1);
  // the same rate gives both: movers x window hours covers the weekend's hours with these movers
  const movers8 = Number(result.params['movers']);
  t.true(movers.value * 48 >= (weekend.value * movers8) - 1e-6, `${movers.value} movers x 48 h vs ${weekend.value} h x ${movers8}`);
});

test.serial('leak-failover: every figure explained', async (t) => {
  t.timeout(240_000);
  const { result } = await results.get('leak')!;
  explained(t, result);
  t.truthy(figure(result, 'standby_healthy').text);
});

test.serial('cutover: every figure explained; the verdict in words and the mail accounted by platform', async (t) => {
  t.timeout(240_000);
  const { result } = await results.get('cutover')!;
  explained(t, result);
  t.is(figure(result, 'cutover_verdict').text, 'switched and rolled back');
  const accepted = figure(result, 'mail_accepted');
  const [, oldSide, newSide] = /(\d+) by the old platform, (\d+) by the new one/.exec(accepted.note ?? '') ?? [];
  t.is(Number(oldSide) + Number(newSide), accepted.value, `old + new = accepted: ${accepted.note}`);
  t.regex(figure(result, 'rollback_seconds').note ?? '', /RTO \d+ s/);
});
