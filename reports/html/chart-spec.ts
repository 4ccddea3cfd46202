// What the page's script needs to draw one chart; built from result.json on the Node side
// so the browser code stays a small, dumb renderer.
import type { ChartGroup } from './metric-info.ts';

/** ms and s render as durations, percent with a % sign, count and per_s as plain numbers. */
export type ChartUnit = 'ms' | 's' | 'percent' | 'count' | 'per_s';

export interface ChartPoint {
  x: number;
  y: number | null;
}

export interface ChartDataset {
  label: string;
  color: string;
  /** line charts: points over seconds since start; bar charts: one value per label */
  data: ChartPoint[] | number[];
  dashed?: boolean;
  fill?: boolean;
  stepped?: boolean;
  /** draw against the right-hand axis (y1) */
  axis?: 'left' | 'right';
}

export interface ChartSpec {
  id: string;
  group: ChartGroup;
  title: string;
  /** One line under the title: what to look for. */
  note?: string;
  kind: 'line' | 'bar';
  unit: ChartUnit;
  yLabel: string;
  datasets: ChartDataset[];
  /** bar charts: the category labels */
  labels?: string[];
  stacked?: boolean;
  /** draw the chaos timeline (bands and markers) over it */
  timeline: boolean;
  /** force the x axis to reach this far (seconds), e.g. to show a migration window */
  xMax?: number;
  /** share a y range with a sibling chart (compare pages) */
  yMax?: number;
  /** x axis title and hour ticks, for story charts on the simulated timeline */
  xTitle?: string;
  xHours?: boolean;
  /** the right-hand axis, when a dataset uses it */
  y1Label?: string;
  y1Unit?: ChartUnit;
  /** extra reference lines: vertical at x seconds or horizontal at y */
  guides?: { x?: number; y?: number; label: string; color: string }[];
}

const PALETTE = ['#2563eb', '#db2777', '#059669', '#d97706', '#7c3aed', '#0891b2', '#dc2626', '#65a30d', '#4b5563'];

/** Hands out colours so the same flow gets the same colour in every chart of a page. */
export class ColorBook {
  readonly #byKey = new Map<string, string>();

  color(key: string): string {
    let color = this.#byKey.get(key);
    if (!color) {
      color = PALETTE[this.#byKey.size % PALETTE.length] as string;
      this.#byKey.set(key, color);
    }
    return color;
  }
}

export const PERCENTILE_COLORS = { p50: '#059669', p95: '#d97706', p99: '#dc2626', max: '#9ca3af' } as const;
