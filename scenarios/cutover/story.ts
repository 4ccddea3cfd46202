// The cutover's story: where the mail went each second (old, new, bounced, moved back) and how
// much sits on the new platform, with the switch, the first failure and the rollback marked.
import type { StoryChart } from '../../harness/scenario/story.ts';

export const cutoverStory = (): StoryChart[] => [
  {
    id: 'cutover',
    title: 'Where the mail went: old platform, new platform, bounced, moved back',
    note: 'Accepted mail per second by platform and bounces; the right axis counts messages accepted by the new platform and not moved back, which is stranded unless the drain-back takes it home.',
    lines: [
      { metric: 'cutover_mail', tags: { to: 'old' }, label: 'accepted by the old platform /s', show: 'per_s' },
      { metric: 'cutover_mail', tags: { to: 'new' }, label: 'accepted by the new platform /s', show: 'per_s' },
      { metric: 'cutover_mail', tags: { to: 'bounced' }, label: 'bounced /s', show: 'per_s' },
      { metric: 'cutover_mail', tags: { to: 'moved_back' }, label: 'moved back /s', show: 'per_s' },
      { metric: 'mail_on_new_platform', label: 'on the new platform, not moved back', show: 'level', axis: 'right' },
    ],
    markers: [
      { event: 'cutover_switch', label: 'switch' },
      { event: 'cutover_failure', label: 'first failure' },
      { event: 'node_crashed', label: 'node crashed' },
      { event: 'rollback', label: 'rollback' },
      { event: 'drainback_done', label: 'drain-back done' },
    ],
  },
];
