// The lockout's story over the simulated day: who got locked out and why, against the
// helpdesk backlog that has to clear them.
import type { StoryChart } from '../../harness/scenario/story.ts';

export const lockoutStory = (): StoryChart[] => [
  {
    id: 'lockout',
    title: 'Locked accounts by cause and the helpdesk backlog over the day',
    note: 'Accounts locked so far by a stale device (never typed a wrong password) or a user typo, and unlock requests waiting for an engineer.',
    lines: [
      { metric: 'lockout_accounts_locked_by_cause', tags: { cause: 'stale device' }, label: 'locked so far: stale device', show: 'level' },
      { metric: 'lockout_accounts_locked_by_cause', tags: { cause: 'user typo' }, label: 'locked so far: user typo', show: 'level' },
      { metric: 'helpdesk_backlog', label: 'helpdesk backlog', show: 'level' },
    ],
    markers: [{ event: 'strict_policy', label: 'strict policy and forced resets' }, { event: 'helpdesk_deadline', label: 'helpdesk deadline' }],
  },
];
