// Suites: fixed lists of scenario runs with their settings. `mailstorm suite <name>`
// runs them in order and writes one combined junit.xml.

export interface SuiteEntry {
  /** built-in scenario name */
  scenario: string;
  /** --set values for this entry, "key=value" */
  set?: readonly string[] | undefined;
  /** --scale for this entry, unless the command line gives one */
  scale?: number | undefined;
}

export interface SuiteDefinition {
  name: string;
  description: string;
  entries: readonly SuiteEntry[];
}

export const suites: readonly SuiteDefinition[] = [
  {
    name: 'pre-upgrade',
    description: 'Regression gate for CI (what `npm start` runs): a rig check, then every incident replay in its protected configuration at default size; all gates must pass. Run it against the current and the candidate version, then `mailstorm compare`.',
    entries: [
      { scenario: 'smoke' },
      { scenario: 'reply-all-storm', set: ['stormProtection=true'] },
      { scenario: 'mass-lockout', set: ['lockoutPolicy=smart'] },
      { scenario: 'weekend-migration', set: ['movers=8'] },
      { scenario: 'leak-failover', set: ['standbyBroken=false'] },
    ],
  },
  {
    name: 'acceptance',
    description: 'Supplier acceptance: every incident replay in its protected configuration at twice the default size (--scale 2: larger lists, populations and migrations); all gates must pass.',
    entries: [
      { scenario: 'smoke' },
      { scenario: 'reply-all-storm', set: ['stormProtection=true'], scale: 2 },
      { scenario: 'mass-lockout', set: ['lockoutPolicy=smart'], scale: 2 },
      { scenario: 'weekend-migration', set: ['movers=8'], scale: 2 },
      { scenario: 'leak-failover', set: ['standbyBroken=false'], scale: 2 },
    ],
  },
  {
    name: 'incidents',
    description: 'Each incident replayed against a platform configured as the incident\'s was (no storm protection, AD lockout, too few movers, a broken standby). Every replay is expected to FAIL its gates: a demonstration that the harness catches each incident.',
    entries: [
      { scenario: 'reply-all-storm', set: ['stormProtection=false'] },
      { scenario: 'mass-lockout', set: ['lockoutPolicy=ad'] },
      { scenario: 'weekend-migration', set: ['movers=2'] },
      { scenario: 'leak-failover', set: ['standbyBroken=true'] },
    ],
  },
];

export function findSuite(name: string): SuiteDefinition | undefined {
  return suites.find((s) => s.name === name);
}
