// Small, short configurations of each replay (15-30 s each) for tests that need a real run's
// result but not the incident's full size: figures explained, reports in a real browser.
export const SHORT_RUNS = {
  'storm-protected': ['scenarios/reply-all-storm/index.ts', ['listMembers=3000', 'backgroundUsers=60', 'simMinutes=14', 'stormMinutes=8', 'replyBaseRatePerMin=3', 'drainTimeout=30s']],
  'storm-unprotected': ['scenarios/reply-all-storm/index.ts', ['stormProtection=false', 'listMembers=3000', 'backgroundUsers=60', 'simMinutes=14', 'stormMinutes=8', 'replyBaseRatePerMin=3', 'drainTimeout=30s']],
  lockout: ['scenarios/mass-lockout/index.ts', ['trustUsers=200', 'otherOrganisations=1', 'usersPerOrganisation=50', 'simHours=10', 'duration=15s']],
  migration: ['scenarios/weekend-migration/index.ts', ['accounts=110', 'represents=16', 'corruptShare=0.01', 'minSuccessPct=98', 'duration=30s']],
  leak: ['scenarios/leak-failover/index.ts', ['leakWeeks=1', 'baselineSeconds=10', 'afterFailureSeconds=8', 'secondsPerSimDay=0.5']],
  cutover: ['scenarios/cutover/index.ts', ['accounts=200']],
} as const satisfies Record<string, readonly [string, readonly string[]]>;

export type ShortRun = keyof typeof SHORT_RUNS;
