// The self-contained page shell: inline CSS, the Chart.js UMD build, the embedded data and
// the drawing script, so a report opens from disk with no network.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { escapeHtml, inlineScript, jsonForScript } from './escape.ts';
import type { ChartSpec } from './chart-spec.ts';
import type { Timeline } from './chaos-timeline.ts';

const assets = join(dirname(fileURLToPath(import.meta.url)), 'assets');
let cached: { css: string; client: string; chartJs: string } | undefined;

function loadAssets(): { css: string; client: string; chartJs: string } {
  if (!cached) {
    // chart.js exports no subpaths; its UMD build sits next to the CommonJS entry.
    const chartEntry = createRequire(import.meta.url).resolve('chart.js');
    cached = {
      css: readFileSync(join(assets, 'report.css'), 'utf8'),
      client: readFileSync(join(assets, 'report-client.js'), 'utf8'),
      chartJs: readFileSync(join(dirname(chartEntry), 'chart.umd.min.js'), 'utf8'),
    };
  }
  return cached;
}

export interface PageData {
  charts: ChartSpec[];
  timelines: Record<string, Timeline>;
  [key: string]: unknown;
}

export function renderPage(title: string, body: string, data: PageData): string {
  const { css, client, chartJs } = loadAssets();
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="mailstorm">
<title>${escapeHtml(title)}</title>
<style>${css}</style>
</head>
<body>
<main>
${body}
</main>
<script type="application/json" id="report-data">${jsonForScript(data)}</script>
<script>${inlineScript(chartJs)}</script>
<script>${inlineScript(client)}</script>
</body>
</html>
`;
}

/** A chart card; the page script finds the canvas by its data-chart id. */
export function chartCard(spec: ChartSpec, timelineKey = 'run', heading = spec.title, kicker = ''): string {
  return `<figure class="chart" id="chart-${escapeHtml(spec.id)}-${escapeHtml(timelineKey)}">
${kicker ? `<p class="kicker">${escapeHtml(kicker)}</p>` : ''}<h3>${escapeHtml(heading)}</h3>${spec.note ? `<p class="muted small">${escapeHtml(spec.note)}</p>` : ''}
<div class="box"><canvas data-chart="${escapeHtml(spec.id)}" data-timeline="${escapeHtml(timelineKey)}" role="img" aria-label="${escapeHtml(spec.title)}"></canvas></div>
</figure>`;
}

export const TIMELINE_KEY = `<p class="legend-key"><span class="fault">fault active</span><span class="down">service down</span><span class="failure">failure</span><span class="degradation">degradation detected</span><span class="recovery">failover / recovery</span></p>`;
