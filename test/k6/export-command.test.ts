// mailstorm export k6 as a user runs it: files written, unexportable flows named on stderr,
// bad input exits 2 with the reason.
import test from 'ava';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../cli/program.ts';

async function cli(args: string[]) {
  const stdout = new PassThrough(), stderr = new PassThrough();
  let out = '', err = '';
  stdout.on('data', (c: Buffer) => (out += c)); stderr.on('data', (c: Buffer) => (err += c));
  const code = await main(['node', 'mailstorm', ...args], { stdout, stderr });
  return { code, out, err };
}

test('export k6 reply-all-storm --k6-operator writes the script and manifests and names the storm driver', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'mailstorm-export-'));
  const r = await cli(['export', 'k6', 'reply-all-storm', '--set', 'backgroundUsers=40', '--out', dir, '--k6-operator', '--parallelism', '3']);
  t.is(r.code, 0, r.err);
  t.deepEqual((await readdir(dir)).sort(), ['README.md', 'configmap.yaml', 'script.js', 'script.ts', 'testrun.yaml']);
  t.regex(r.err, /flow "storm" is not exported/);
  t.regex(await readFile(path.join(dir, 'script.ts'), 'utf8'), /"backgroundUsers":40[,}]/);
  t.regex(await readFile(path.join(dir, 'testrun.yaml'), 'utf8'), /parallelism: 3/);
  t.regex(await readFile(path.join(dir, 'README.md'), 'utf8'), /xk6 build --with github.com\/grafana\/xk6-tcp/);
});

test('export k6 bad input exits 2 naming what is wrong', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'mailstorm-export-'));
  const a = await cli(['export', 'k6', 'smoke', '--out', dir, '--parallelism', '2']);
  t.is(a.code, 2);
  t.is(a.err, 'mailstorm: --parallelism and --runner-image need --k6-operator\n');
  const b = await cli(['export', 'k6', 'nope', '--out', dir]);
  t.is(b.code, 2);
  t.regex(b.err, /unknown scenario "nope"/);
  const c = await cli(['export', 'k6', 'smoke', '--out', dir, '--k6-operator', '--parallelism', '0']);
  t.is(c.code, 2);
  t.regex(c.err, /--parallelism must be a whole number >= 1, got "0"/);
  const d = await cli(['export', 'k6', 'smoke', '--out', dir, '--tls', 'starttls']);
  t.is(d.code, 2);
  t.regex(d.err, /^mailstorm: --tls starttls: k6\/x\/tcp \(xk6-tcp\) starts TLS only at connect and cannot upgrade a socket, so an exported script cannot speak STARTTLS; point it at the implicit-TLS ports \(465 SMTP, 993 IMAP\) with --tls implicit\n$/);
});
