// Reads a population file of test accounts (CSV or YAML). Passwords are never written in
// it: each names where to read one (env:NAME or file:PATH, relative to the file's folder),
// so the file can be committed and the secrets stay where the platform's owner keeps them.
//
//   CSV:  address,organisation,password            (header required)
//         alice@trust-a.test.example,trust-a,env:ALICE_PASSWORD
//   YAML: accounts: [{ address, organisation, password, devices: [{ id, password }] }]
//         lists: { all-staff@trust-a.test.example: [alice@..., bob@...] }
// An account of a platform that takes OAuth2 names its token instead of (or as well as) a
// password: a fourth CSV column `token`, or `token:` in YAML, as file:PATH or command:...
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { InputError, errorMessage } from '../engine/errors.ts';
import type { TestAccount } from './accounts-directory.ts';
import { ReferencedToken } from '../engine/clients/auth/token-reference.ts';

export interface PopulationFile {
  accounts: TestAccount[];
  lists: Record<string, string[]>;
}

const ADDRESS = /^[^@\s,]+@[^@\s,]+$/;

const yamlSchema = z.object({
  accounts: z.array(z.object({
    address: z.string().regex(ADDRESS, 'not an e-mail address'),
    organisation: z.string().min(1).optional(),
    password: z.string().min(1).optional(),
    token: z.string().min(1).optional(),
    devices: z.array(z.object({ id: z.string().min(1), password: z.string().min(1) }).strict()).optional(),
  }).strict()).min(1),
  lists: z.record(z.string().regex(ADDRESS, 'not an e-mail address'), z.array(z.string())).optional(),
}).strict();

/** A password reference resolved: env:NAME or file:PATH; anything else is an InputError. */
function readSecret(ref: string, where: string, dir: string, env: NodeJS.ProcessEnv): string {
  if (ref.startsWith('env:')) {
    const name = ref.slice(4);
    const value = env[name];
    if (value === undefined || value === '') throw new InputError(`${where}: environment variable ${name} is not set`);
    return value;
  }
  if (ref.startsWith('file:')) {
    const file = path.resolve(dir, ref.slice(5));
    try {
      return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch (error) {
      throw new InputError(`${where}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? errorMessage(error)})`);
    }
  }
  throw new InputError(`${where}: give env:NAME or file:PATH; a password is never written in the population file`);
}

function fromCsv(text: string, file: string): { address: string; organisation?: string; password?: string; token?: string }[] {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  const header = lines.shift()?.split(',').map((h) => h.trim());
  const columns = header?.length === 4 && header[3] === 'token' ? 4 : 3;
  if (!header || header[0] !== 'address' || header[1] !== 'organisation' || header[2] !== 'password' || header.length !== columns) {
    throw new InputError(`population ${file}: the first line must be the header address,organisation,password (or address,organisation,password,token)`);
  }
  return lines.map((line, i) => {
    const cells = line.split(',').map((c) => c.trim());
    const where = `population ${file}: row ${i + 2}`;
    if (cells.length !== columns || line.includes('"')) throw new InputError(`${where}: expected ${columns} comma-separated fields without quotes, got "${line.split(',')[0]},…"`);
    if (!ADDRESS.test(cells[0]!)) throw new InputError(`${where}: address ${cells[0]}: not an e-mail address`);
    return { address: cells[0]!, ...(cells[1] ? { organisation: cells[1] } : {}), ...(cells[2] ? { password: cells[2] } : {}), ...(cells[3] ? { token: cells[3] } : {}) };
  });
}

function fromYaml(text: string, file: string): z.output<typeof yamlSchema> {
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    throw new InputError(`population ${file}: not valid YAML: ${errorMessage(error)}`);
  }
  const parsed = yamlSchema.safeParse(value);
  if (!parsed.success) {
    throw new InputError(parsed.error.issues.map((i) => `population ${file}: ${i.path.join('.') || '(top level)'}: ${i.message}`).join('\n'));
  }
  return parsed.data;
}

export function readPopulationFile(file: string, env: NodeJS.ProcessEnv = process.env): PopulationFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`population ${file}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? errorMessage(error)})`);
  }
  const dir = path.dirname(file);
  const csv = /\.csv$/i.test(file);
  if (!csv && !/\.ya?ml$/i.test(file)) throw new InputError(`population ${file}: name a .csv or .yaml file`);
  const raw = csv ? { accounts: fromCsv(text, file), lists: {} } : fromYaml(text, file);
  if (raw.accounts.length === 0) throw new InputError(`population ${file}: no accounts`);
  const seen = new Set<string>();
  const accounts = raw.accounts.map((a, i): TestAccount => {
    const where = `population ${file}: ${csv ? `row ${i + 2}` : `accounts.${i}`} (${a.address})`;
    const key = a.address.toLowerCase();
    if (seen.has(key)) throw new InputError(`${where}: the address appears twice`);
    seen.add(key);
    const devices = ('devices' in a ? a.devices ?? [] : []).map((d, j) => ({ id: d.id, password: readSecret(d.password, `${where}: devices.${j}.password`, dir, env) }));
    if (a.password === undefined && a.token === undefined) throw new InputError(`${where}: give a password (env:NAME or file:PATH) or a token (file:PATH or command:...)`);
    const token = a.token === undefined ? undefined : new ReferencedToken(a.token, { where: `${where}: token`, baseDir: dir });
    const password = a.password === undefined ? '' : readSecret(a.password, `${where}: password`, dir, env);
    return { address: a.address, organisation: a.organisation ?? a.address.split('@')[1]!, password, devices, ...(token && { token }) };
  });
  const lists: Record<string, string[]> = {};
  for (const [list, members] of Object.entries<string[]>(raw.lists ?? {})) {
    const unknown = members.filter((m) => !seen.has(m.toLowerCase()));
    if (unknown.length) throw new InputError(`population ${file}: lists.${list}: ${unknown.join(', ')} not among the accounts`);
    lists[list] = members;
  }
  return { accounts, lists };
}
