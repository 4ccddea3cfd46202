// A lockout day the workers could not keep up with says so: events that fired more than
// `lateMinutes` simulated minutes after their time are counted (events_late) and recorded as
// a warning, and every event's lag behind the compressed schedule is in replay_lag. One worker
// per lane on a bunched start makes overdue events certain; lateMinutes picks what counts.
import test from 'ava';
import type { RunResult } from '../../harness/result-schema.ts';
import { runScenario } from './run-cli.ts';

const FILE = 'scenarios/mass-lockout/index.ts';
const ONE_WORKER = ['trustUsers=300', 'otherOrganisations=0', 'workers=1', 'userWorkers=1', 'simHours=6', 'duration=10s'];

const eventsPlayed = (r: RunResult): number => Number(/of (\d+) events/.exec(r.figures['events_late']?.note ?? '')?.[1]);
const replayLag = (r: RunResult) => r.metrics.find((m) => m.name === 'replay_lag')?.values;

test('late events are counted, warned about and in replay_lag; a bar nothing reaches gives no warning', async (t) => {
  t.timeout(120_000);
  const strict = await runScenario(FILE, [...ONE_WORKER, 'lateMinutes=0']);
  const lenient = await runScenario(FILE, [...ONE_WORKER, 'lateMinutes=100000']);
  for (const run of [strict, lenient]) t.true(run.code === 0 || run.code === 1, run.stderr);

  const late = Number(strict.result.figures['events_late']?.value);
  const played = eventsPlayed(strict.result);
  t.true(played > 0, `events played: ${played}`);
  t.true(late > 0 && late <= played, `${late} of ${played} events late`);
  const warning = strict.result.events.find((e) => e.type === 'warning' && e['kind'] === 'events_late');
  t.truthy(warning, 'a warning event');
  t.is(warning?.['late'], late);
  t.is(warning?.['lateMinutes'], 0);
  t.regex(String(warning?.['message']), new RegExp(`^${late} of ${played} events fired more than 0 simulated minutes late`));
  // Each event is in replay_lag once: woken by the paced clock, or recorded overdue.
  t.is(replayLag(strict.result)?.['count'], played);
  t.true((replayLag(strict.result)?.['min'] ?? -1) >= 0);

  t.is(lenient.result.figures['events_late']?.value, 0);
  t.false(lenient.result.events.some((e) => e.type === 'warning'), 'no warning when nothing was that late');
  t.is(replayLag(lenient.result)?.['count'], eventsPlayed(lenient.result));
});
