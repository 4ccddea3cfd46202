// Suites: fixed lists of scenario runs with their settings. `mailstorm suite <name>`
// runs them in order and writes one combined junit.xml.

export interface SuiteEntry {
  /** built-in scenario name */
  scenario: string;
  /** --set values for this entry, "key=value" */
  set?: readonly string[];
}

export interface SuiteDefinition {
  name: string;
  description: string;
  entries: readonly SuiteEntry[];
}

export const suites: readonly SuiteDefinition[] = [
  {
    name: 'pre-upgrade',
    description: 'Regression gate for CI: run against the current and the candidate version before an upgrade.',
    entries: [{ scenario: 'smoke' }],
  },
  {
    name: 'acceptance',
    description: 'Supplier acceptance: the documented incident replays a platform must pass, each in its passing configuration.',
    entries: [
      { scenario: 'smoke', set: ['duration=10s'] },
      { scenario: 'reply-all-storm' },
      { scenario: 'mass-lockout', set: ['lockoutPolicy=smart'] },
      { scenario: 'weekend-migration' },
      { scenario: 'leak-failover' },
    ],
  },
  {
    name: 'incidents',
    description: 'Every incident replay at its default size and settings (some replay the original failure, so their gates fail).',
    entries: [
      { scenario: 'reply-all-storm' },
      { scenario: 'mass-lockout' },
      { scenario: 'weekend-migration' },
      { scenario: 'leak-failover' },
    ],
  },
];

export function findSuite(name: string): SuiteDefinition | undefined {
  return suites.find((s) => s.name === name);
}
