// Opens a report in headless Chromium from file:// and reports what a reader would see:
// console errors, any non-file request, and which chart canvases have pixels drawn.
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = (): boolean => existsSync(CHROMIUM);

export interface PageCheck {
  consoleErrors: string[];
  foreignRequests: string[];
  charts: { id: string; drawnPixels: number; dataPixels: number; datasets: number }[];
  title: string;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Uses `browser` when given (one per test file is plenty), else launches and closes its own. */
export async function checkPage(file: string, screenshot: string, browser?: Browser, viewport = { width: 1360, height: 900 }): Promise<PageCheck> {
  const own = browser ? undefined : await launchChromium();
  const context = await (browser ?? own)!.newContext({ viewport });
  try {
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    const foreignRequests: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    page.on('request', (r) => { if (!r.url().startsWith('file:')) foreignRequests.push(r.url()); });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load', timeout: 60_000 });
    await page.waitForSelector('body[data-charts-drawn]', { timeout: 60_000 });
    // the charts below the story sit in closed groups: open them all, as a reader digging in would
    await page.evaluate(() => new Promise<void>((resolve) => {
      document.querySelectorAll('details').forEach((d) => { (d as HTMLDetailsElement).open = true; });
      requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 50)));
    }));
    // Counts the pixels drawn in the datasets' own colours: axes and legend alone give few,
    // a chart whose lines or bars were drawn gives many. Also counts all painted pixels.
    const charts = await page.$$eval('canvas[data-chart]', (canvases) =>
      canvases.map((c) => {
        const canvas = c as HTMLCanvasElement;
        const chart = (window as unknown as { Chart: { getChart(c: HTMLCanvasElement): { data: { datasets: { borderColor?: unknown; backgroundColor?: unknown }[] } } | undefined } }).Chart.getChart(canvas);
        const hex = (chart?.data.datasets ?? []).map((d) => String(d.borderColor ?? d.backgroundColor ?? '')).filter((h) => /^#[0-9a-f]{6}/i.test(h));
        const rgb = hex.map((h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)));
        const ctx = canvas.getContext('2d');
        let drawn = 0;
        let dataPixels = 0;
        if (ctx && canvas.width && canvas.height) {
          const px = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
          for (let i = 0; i < px.length; i += 4) {
            if ((px[i + 3] as number) === 0) continue;
            drawn++;
            if ((px[i + 3] as number) > 200 && rgb.some(([r, g, b]) => Math.abs((px[i] as number) - (r as number)) + Math.abs((px[i + 1] as number) - (g as number)) + Math.abs((px[i + 2] as number) - (b as number)) < 40)) dataPixels++;
          }
        }
        return { id: `${canvas.dataset['chart']}/${canvas.dataset['timeline']}`, drawnPixels: drawn, dataPixels, datasets: rgb.length };
      }),
    );
    await page.screenshot({ path: screenshot, fullPage: true });
    return { consoleErrors, foreignRequests, charts, title: await page.title() };
  } finally {
    await context.close();
    await own?.close();
  }
}
