// The one or two charts that tell a scenario's incident. A scenario declares them; the
// reports draw them right under the verdict, on the simulated timeline when the replay
// compresses time. Plain data, so it travels in result.json to reports and compare.

/** One line of a story chart: a recorded series picked by metric name (and tags). */
export interface StoryLine {
  metric: string;
  /** only the series whose tags include all of these */
  tags?: Record<string, string>;
  /** legend text; the metric name when absent */
  label?: string;
  /** level: the value at each second (gauges); per_s: counter per second; cumulative: counter summed up (drawn as a line); percent: a rate as %; p95: a trend's 95th percentile */
  show: 'level' | 'per_s' | 'cumulative' | 'percent' | 'p95';
  /** a second y axis on the right, for lines an order of magnitude apart from the left ones */
  axis?: 'left' | 'right';
}

/** A run event drawn as a vertical marker: its type, and optionally fields it must carry. */
export interface StoryMarker {
  event: string;
  /** e.g. { action: 'disable' } on a `fault` event */
  where?: Record<string, string | number | boolean>;
  label: string;
}

export interface StoryChart {
  id: string;
  title: string;
  /** one line under the title: what the reader should see */
  note: string;
  lines: StoryLine[];
  /** run event types marked on the chart (e.g. storm_cap_hit); the first is the key moment */
  markers: StoryMarker[];
  /** horizontal reference lines on the left axis, e.g. the migration window */
  guides?: { y: number; label: string }[];
}

/** What result.json carries: the charts and the time compression their x axis uses. */
export interface StoryRecord {
  charts: StoryChart[];
  /** simulated seconds per real second (1: no compression) */
  timeCompression: number;
}
