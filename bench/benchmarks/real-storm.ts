// 7. The real storm: `mailstorm run reply-all-storm --scale 60` (a 1.2 million member list) on
// the embedded stack: wall time, peak memory, and whether it completed. Skipped when the
// scenario or the run command is not there.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_DIR, run } from '../lib/processes.ts';
import { spread } from '../lib/stats.ts';
import type { RunResult } from '../../harness/result-schema.ts';
import type { BenchOutcome, Benchmark } from '../lib/types.ts';

const REAL_SCALE = 60;
const TIME = '/usr/bin/time';

export const realStorm: Benchmark = {
  id: 7,
  title: 'the real storm (reply-all-storm at the real scale, embedded stack)',
  goal: 'reported; completes on this machine',
  async run(ctx): Promise<BenchOutcome> {
    const cli = path.join(REPO_DIR, 'bin', 'mailstorm.js');
    if (!fs.existsSync(cli) || !fs.existsSync(path.join(REPO_DIR, 'scenarios', 'reply-all-storm'))) {
      return { figures: {}, met: null, skipped: 'not available' };
    }
    const scale = ctx.quick ? REAL_SCALE / 10 : REAL_SCALE;
    const wall: number[] = [];
    const peak: number[] = [];
    const exits: string[] = [];
    for (let i = 0; i < ctx.runs; i++) {
      const out = fs.mkdtempSync(path.join(os.tmpdir(), 'mailstorm-bench-storm-'));
      try {
        const args = [cli, 'run', 'reply-all-storm', '--scale', String(scale), '--quiet', '--out', out];
        const timed = fs.existsSync(TIME);
        const done = timed
          ? await run(TIME, ['-f', 'bench-peak-kb=%M', process.execPath, ...args], 900_000)
          : await run(process.execPath, args, 900_000);
        const measured = Number(/bench-peak-kb=(\d+)/.exec(done.stderr)?.[1] ?? 0) || done.peakRssKb;
        if (done.code === null) throw new Error('did not complete within 15 minutes');
        if (!fs.existsSync(path.join(out, 'result.json'))) throw new Error(`exit ${done.code} without a result.json: ${done.stderr.trim().split('\n').slice(-3).join(' | ')}`);
        const result = JSON.parse(fs.readFileSync(path.join(out, 'result.json'), 'utf8')) as RunResult;
        const failedGates = result.gates.filter((g) => !g.ok).map((g) => `${g.metric} ${g.expression} (observed ${g.observed ?? g.reason ?? '-'})`);
        const lost = result.ledger ? ` ledger: ${result.ledger.expected} expected, ${result.ledger.delivered} delivered, ${result.ledger.lost} lost;` : '';
        wall.push(done.ms / 1000);
        peak.push(measured / 1024);
        exits.push(`run ${i + 1}: verdict ${result.verdict}, complete ${result.complete};${lost} failed gates: ${failedGates.join('; ') || 'none'}`);
        ctx.log(`  run ${i + 1}: ${(done.ms / 1000).toFixed(1)} s, peak RSS ${Math.round(measured / 1024)} MiB, exit ${done.code}`);
      } finally {
        fs.rmSync(out, { recursive: true, force: true });
      }
    }
    return {
      figures: {
        [`wall time (--scale ${scale})`]: { unit: 's', ...spread(wall) },
        'peak RSS': { unit: 'MiB', ...spread(peak) },
      },
      met: wall.length === ctx.runs,
      notes: [`node bin/mailstorm.js run reply-all-storm --scale ${scale} --quiet`, ...exits],
    };
  },
};
