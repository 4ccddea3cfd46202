export type * from './types.ts';
export { Directory, type DirectoryOptions } from './directory.ts';
export { defaultPopulation, type PopulationSpec } from './population.ts';
export { type ListSpec } from './distribution-lists.ts';
export { AD_DEFAULTS, SMART_DEFAULTS, lockoutPolicy, type LockoutOptions } from './lockout-policy.ts';
export { HELPDESK_DEFAULTS, type HelpdeskOptions } from './helpdesk.ts';
export { legacyPolicy, strictPolicy, type PasswordPolicy } from './password-policy.ts';
export { AccountsDirectory, type TestAccount } from './accounts-directory.ts';
export { readPopulationFile, type PopulationFile } from './population-file.ts';
