// capacity.md: the knee, the fit and headroom for a CI job summary.
import { KNEE_RULE } from '../../capacity/knee.ts';
import type { CapacityResult } from '../../capacity/types.ts';

const fmt = (n: number | null | undefined, digits = 1) => (n === null || n === undefined || !Number.isFinite(n) ? '—' : n.toLocaleString('en-GB', { maximumFractionDigits: digits }));

export function renderCapacityMarkdown(r: CapacityResult): string {
  const lines = [
    `## Capacity: ${r.scenario} on ${r.stack}`,
    '',
    r.knee ? `**Knee: ${fmt(r.knee.level, 0)} ${r.unit}** (${fmt(r.knee.achieved)}/s achieved)${r.knee.brokenBy ? `; ${fmt(r.knee.brokenBy.level, 0)} ${r.unit} was ${r.knee.brokenBy.assessment}: ${r.knee.brokenBy.note}` : ''}${r.knee.undrivenAbove ? `; steps ${r.knee.undrivenAbove.join(', ')} above it were inconclusive (the harness could not keep up), so the stack holds at least this` : ''}` : `**No knee:** ${(r.kneeNote ?? 'no step kept up.').replace(/^no knee: /, '')}`,
    '',
    r.fit ? `USL fit: σ ${fmt(r.fit.sigma, 5)}, κ ${fmt(r.fit.kappa, 7)}, λ ${fmt(r.fit.lambda, 3)}/s, R² ${fmt(r.fit.r2, 3)}, N* ${fmt(r.fit.nStar, 0)}, peak ${fmt(r.fit.peakThroughput)}/s` : r.fitNote,
    '',
    `| ${r.param} | offered/s | achieved/s | p99 ms | queue growth/s | errors | assessment |`,
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...r.steps.map((s) => `| ${fmt(s.level, 0)} | ${fmt(s.offered)} | ${fmt(s.achieved)} | ${fmt(s.latency.p99)} | ${fmt(s.queueGrowthPerSec)} | ${s.errors} | ${s.assessment} |`),
    '',
    ...(r.steps.some((s) => s.resources) ? ['Resources per step (means over the load window):', '', ...r.steps.map((s) => `- ${fmt(s.level, 0)} ${r.unit}: ${s.resources?.note ?? 'not measured'}`), ''] : []),
    ...r.headroom.map((h) => `- **${h.incident}:** ${h.statement}`),
    '',
    `SLO: ${r.slo}. Knee rule: ${r.knee?.rule ?? KNEE_RULE}`,
    '',
  ];
  return lines.join('\n');
}
