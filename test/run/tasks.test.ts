import test from 'ava';
import { TaskList } from '../../harness/run/tasks.ts';

test('teardown runs in reverse order and continues past a failing step', async (t) => {
  const order: string[] = [];
  const tasks = new TaskList();
  await tasks.step('stack', () => 'stack', () => { order.push('stop stack'); });
  await tasks.step('clients', () => 'clients', () => { throw new Error('close failed'); });
  tasks.onTeardown('chaos', () => { order.push('rollback chaos'); });
  const failures = await tasks.teardown();
  t.deepEqual(order, ['rollback chaos', 'stop stack']);
  t.deepEqual(failures, [{ task: 'clients', message: 'close failed' }]);
});

test('a step that throws registers no teardown', async (t) => {
  const tasks = new TaskList();
  let stopped = false;
  await t.throwsAsync(tasks.step('stack', () => { throw new Error('no docker'); }, () => { stopped = true; }), { message: 'no docker' });
  t.deepEqual(await tasks.teardown(), []);
  t.false(stopped);
});

test('a teardown step that hangs is cut off and reported', async (t) => {
  const tasks = new TaskList(50);
  tasks.onTeardown('hang', () => new Promise(() => {}));
  const failures = await tasks.teardown();
  t.is(failures[0]?.task, 'hang');
  t.regex(failures[0]?.message ?? '', /did not finish/);
});
