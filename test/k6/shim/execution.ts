// Test-only stand-in for k6/execution: the test sets which iteration is running.
export const state = { scenario: { name: 'default', iterationInTest: 0 }, vu: { idInTest: 1 }, instance: { vusInitialized: 1 }, test: { options: {} as Record<string, string> } };
export default state;
