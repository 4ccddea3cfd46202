// capacity.html: throughput and latency against load, the USL fit drawn over the measured
// steps and the knee marked, then the steps, headroom and notes. One self-contained file.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { escapeHtml, inlineScript, jsonForScript } from '../html/escape.ts';
import { uslThroughput } from '../../capacity/usl-fit.ts';
import { KNEE_RULE } from '../../capacity/knee.ts';
import type { CapacityResult } from '../../capacity/types.ts';

const CSS = `body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#111827;background:#f9fafb}main{max-width:1200px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px}.muted{color:#6b7280}.tile{display:inline-block;background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:10px 14px;margin:0 8px 8px 0}
.tile b{display:block;font-size:22px}.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(480px,1fr));gap:16px}.chart{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:12px;margin:0}
.box{position:relative;height:320px}.wrap{overflow-x:auto}table{border-collapse:collapse;width:100%;background:#fff}td,th{border-bottom:1px solid #e5e7eb;padding:6px 8px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
.healthy{color:#047857}.saturated,.slo-broken,.broken{color:#b91c1c}.inconclusive{color:#92400e}`;

const CLIENT = `const d=JSON.parse(document.getElementById('capacity-data').textContent);
const knee={id:'knee',afterDraw(c){if(d.knee==null)return;const x=c.scales.x.getPixelForValue(d.knee);const a=c.chartArea;const g=c.ctx;g.save();g.strokeStyle='#b91c1c';g.setLineDash([6,4]);g.beginPath();g.moveTo(x,a.top);g.lineTo(x,a.bottom);g.stroke();g.fillStyle='#b91c1c';g.fillText('knee '+d.knee,Math.min(x+4,a.right-60),a.top+12);g.restore();}};
const lin=(id,sets,y)=>new Chart(document.getElementById(id),{type:'line',data:{datasets:sets},plugins:[knee],options:{maintainAspectRatio:false,parsing:false,scales:{x:{type:'linear',title:{display:true,text:d.param+' ('+d.unit+')'}},y:{beginAtZero:true,title:{display:true,text:y}}}}});
lin('throughput',d.throughput,'per second');lin('latency',d.latency,'ms');`;

function chartJs(): string {
  const entry = createRequire(import.meta.url).resolve('chart.js');
  return readFileSync(join(dirname(entry), 'chart.umd.min.js'), 'utf8');
}

const fmt = (n: number | null | undefined, digits = 1) => (n === null || n === undefined || !Number.isFinite(n) ? '—' : n.toLocaleString('en-GB', { maximumFractionDigits: digits }));

function chartData(r: CapacityResult) {
  const pts = (f: (s: CapacityResult['steps'][number]) => number | null) => r.steps.map((s) => ({ x: s.level, y: f(s) }));
  const throughput: unknown[] = [
    { label: 'offered', data: pts((s) => s.offered), borderColor: '#9ca3af', borderDash: [4, 4] },
    { label: 'achieved', data: pts((s) => s.achieved), borderColor: '#2563eb', pointRadius: 4 },
  ];
  if (r.fit) {
    const max = Math.max(...r.steps.map((s) => s.level)) * 1.25;
    const curve = Array.from({ length: 41 }, (_, i) => Math.max(1, (max * i) / 40)).map((n) => ({ x: n, y: uslThroughput(r.fit!, n) }));
    throughput.push({ label: `USL fit (σ ${fmt(r.fit.sigma, 4)}, κ ${fmt(r.fit.kappa, 6)}, R² ${fmt(r.fit.r2, 3)})`, data: curve, borderColor: '#db2777', pointRadius: 0 });
  }
  const latency = (['p50', 'p95', 'p99'] as const).map((p, i) => ({ label: p, data: pts((s) => s.latency[p]), borderColor: ['#059669', '#d97706', '#dc2626'][i] }));
  return { param: r.param, unit: r.unit, knee: r.knee?.level ?? null, throughput, latency };
}

export function renderCapacityHtml(r: CapacityResult): string {
  const tiles = [
    ['knee', r.knee ? `${fmt(r.knee.level, 0)} ${r.unit}` : 'none found'],
    ['throughput at the knee', r.knee ? `${fmt(r.knee.achieved)}/s` : '—'],
    ['USL peak', r.fit ? `${fmt(r.fit.peakThroughput)}/s at ${fmt(r.fit.nStar, 0)} ${r.unit}` : 'not fitted'],
    ['SLO', r.slo],
  ].map(([k, v]) => `<span class="tile">${escapeHtml(k!)}<b>${escapeHtml(v!)}</b></span>`).join('');
  const rows = r.steps.map((s) => `<tr><td>${fmt(s.level, 0)}</td><td>${fmt(s.offered)}</td><td>${fmt(s.achieved)}</td><td>${fmt(s.latency.p50)} / ${fmt(s.latency.p95)} / ${fmt(s.latency.p99)}</td><td>${fmt(s.queueGrowthPerSec)}</td><td>${s.errors} / ${s.dropped}</td><td class="${s.assessment}">${escapeHtml(s.assessment)}</td><td>${escapeHtml(s.note)}</td><td>${escapeHtml(s.resources?.note ?? '—')}</td><td><a href="${escapeHtml(s.dir)}/report.html">run</a></td></tr>`).join('\n');
  const headroom = r.headroom.map((h) => `<li><b>${escapeHtml(h.incident)}:</b> ${escapeHtml(h.statement)}</li>`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="generator" content="mailstorm">
<title>capacity: ${escapeHtml(r.scenario)}</title><style>${CSS}</style></head><body><main>
<h1>Capacity of ${escapeHtml(r.scenario)} on ${escapeHtml(r.stack)}</h1><p class="muted">${escapeHtml(r.startedAt)} · ${escapeHtml(r.reason)}</p>
<section>${tiles}</section>
<p>${r.knee ? `Knee at ${fmt(r.knee.level, 0)} ${escapeHtml(r.unit)}${r.knee.brokenBy ? `; the next step (${fmt(r.knee.brokenBy.level, 0)}) was ${escapeHtml(r.knee.brokenBy.assessment)}: ${escapeHtml(r.knee.brokenBy.note)}` : '; no step broke'}${r.knee.undrivenAbove ? `; steps ${escapeHtml(r.knee.undrivenAbove.join(', '))} above it were inconclusive (the harness could not keep up), so the stack holds at least this` : ''}.` : escapeHtml(r.kneeNote ?? 'No step kept up: the stack does not hold the smallest step.')} <span class="muted">Rule: ${escapeHtml(r.knee?.rule ?? KNEE_RULE)}</span></p>
<div class="charts"><figure class="chart"><h3>Throughput against load</h3><div class="box"><canvas id="throughput"></canvas></div></figure>
<figure class="chart"><h3>Latency against load (${escapeHtml(r.slo)})</h3><div class="box"><canvas id="latency"></canvas></div></figure></div>
<h2>Headroom in the incidents' terms</h2><ul>${headroom || '<li>No knee, so no headroom to state.</li>'}</ul>
<h2>Scalability fit</h2><p>${r.fit ? `X(N) = λN / (1 + σ(N−1) + κN(N−1)) with λ ${fmt(r.fit.lambda, 3)}/s, σ ${fmt(r.fit.sigma, 5)}, κ ${fmt(r.fit.kappa, 7)}, R² ${fmt(r.fit.r2, 3)}; N* = √((1−σ)/κ) = ${fmt(r.fit.nStar, 0)}, peak ${fmt(r.fit.peakThroughput)}/s. ` : ''}${escapeHtml(r.fitNote)}</p>
<h2>Steps</h2><div class="wrap"><table><thead><tr><th>${escapeHtml(r.param)}</th><th>offered/s</th><th>achieved/s</th><th>latency p50 / p95 / p99 ms</th><th>queue growth/s</th><th>errors / dropped</th><th>assessment</th><th>why</th><th>resources (means over the load window)</th><th></th></tr></thead><tbody>${rows}</tbody></table></div>
<h2>What limited the measurement</h2><ul>${r.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('') || '<li>No notes.</li>'}</ul>
</main><script type="application/json" id="capacity-data">${jsonForScript(chartData(r))}</script><script>${inlineScript(chartJs())}</script><script>${inlineScript(CLIENT)}</script></body></html>
`;
}
