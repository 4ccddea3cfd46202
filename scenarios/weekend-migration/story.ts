// The migration's story: at every checkpoint, when would the move finish, against the window?
import type { StoryChart } from '../../harness/scenario/story.ts';
import type { WeekendMigrationParams } from './params.ts';

export const migrationStory = (p: WeekendMigrationParams): StoryChart[] => [
  {
    id: 'migration',
    title: 'Projected completion against the window',
    note: 'Each checkpoint projects the finish from the accounts moved so far and the movers\' service time (simulated hours); go below the window line, no-go or roll back above it. '
      + 'The wall-time line adds whatever the harness held the replay up.',
    lines: [
      { metric: 'migration_projected_hours', label: 'projected completion (simulated hours)', show: 'level' },
      { metric: 'migration_projected_hours_wall', label: 'projected from wall time (harness lag included)', show: 'level' },
    ],
    markers: [
      { event: 'checkpoint', where: { verdict: 'go' }, label: 'go' },
      { event: 'checkpoint', where: { verdict: 'no-go' }, label: 'no-go' },
      { event: 'checkpoint', where: { verdict: 'roll back' }, label: 'roll back' },
    ],
    guides: [{ y: p.windowHours, label: `window ${p.windowHours} h` }],
  },
];
