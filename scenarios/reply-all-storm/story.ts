// The storm's story: does background mail keep flowing while the storm's deliveries pile
// up, and when did storm protection engage?
import type { StoryChart, StoryMarker } from '../../harness/scenario/story.ts';

const MARKERS: StoryMarker[] = [
  { event: 'storm_protection_engaged', label: 'storm protection engaged' },
  { event: 'storm_cap_hit', label: 'storm delivery cap hit' },
  { event: 'storm_ended', label: 'storm ended' },
];

export const stormStory = (): StoryChart[] => [
  {
    id: 'background',
    title: 'Background mail during the storm',
    note: 'Background delivery latency (p95, left) and submission success (right) should hold while the storm runs; real seconds since start.',
    lines: [
      { metric: 'delivery_latency', tags: { flow: 'background' }, label: 'background delivery latency p95', show: 'p95' },
      { metric: 'background_submission_ok', label: 'background submission success', show: 'percent', axis: 'right' },
      { metric: 'submission_success', tags: { flow: 'background' }, label: 'background submission success', show: 'percent', axis: 'right' },
    ],
    markers: MARKERS,
  },
  {
    id: 'storm',
    title: 'Storm deliveries against the queue',
    note: 'Storm deliveries the MTA accepted so far (a running total) and deliveries waiting in its queue; protection should flatten the total early.',
    lines: [
      { metric: 'storm_deliveries_accepted', label: 'storm deliveries accepted so far', show: 'level' },
      { metric: 'queue_depth', label: 'MTA queue depth', show: 'level' },
    ],
    markers: MARKERS,
  },
];
