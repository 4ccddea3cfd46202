// The leak's story: latency creeping up as the proxy leaks, the alarm, the failure, the failover.
import type { StoryChart } from '../../harness/scenario/story.ts';

export const leakStory = (): StoryChart[] => [
  {
    id: 'leak',
    title: 'Submission latency trend, detection, failure and failover',
    note: 'The primary’s median submission time rises with the leak; the alarm should fire well before the proxy fails, and failover should follow the failure.',
    lines: [
      { metric: 'primary_submission_median_ms', label: 'primary median submission time (ms)', show: 'level' },
      { metric: 'submission_ok', label: 'submission success', show: 'percent', axis: 'right' },
    ],
    markers: [
      { event: 'degradation_detected', label: 'degradation detected' },
      { event: 'fault', where: { action: 'disable' }, label: 'failure' },
      { event: 'failover', label: 'failover' },
    ],
  },
];
