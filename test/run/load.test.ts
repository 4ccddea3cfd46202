import test from 'ava';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { InputError } from '../../engine/errors.ts';
import { checkScenarioShape, loadScenario } from '../../harness/scenario/load.ts';
import { builtIns as builtInScenarios } from '../../scenarios/index.ts';

test('a built-in scenario loads by name', async (t) => {
  const loaded = await loadScenario('smoke', builtInScenarios);
  t.is(loaded.definition.name, 'smoke');
  t.is(loaded.file, 'builtin:smoke');
});

test('an unknown name lists the built-in scenarios', async (t) => {
  await t.throwsAsync(loadScenario('nosuch', builtInScenarios), { instanceOf: InputError, message: /unknown scenario "nosuch".*smoke/ });
});

test('a missing file is an InputError naming it', async (t) => {
  await t.throwsAsync(loadScenario('./missing/file.ts', builtInScenarios), { instanceOf: InputError, message: /cannot read/ });
});

test('a file whose default export is not a scenario names what is wrong', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mailstorm-load-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'bad.mjs');
  await writeFile(file, 'export default { name: "Bad Name", description: "d", flows: {} };\n');
  const error = await t.throwsAsync(loadScenario(file, builtInScenarios), { instanceOf: InputError });
  t.regex(error.message, /name must be kebab-case/);
  t.regex(error.message, /incident must be a non-empty string/);
  t.regex(error.message, /params must be a zod object schema/);
  t.regex(error.message, /flows must be an object/);
});

test('checkScenarioShape rejects a non-object', (t) => {
  t.throws(() => checkScenarioShape(42, 'x.ts'), { instanceOf: InputError, message: /default export must be a scenario/ });
});
