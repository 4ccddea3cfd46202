// Every container, network and volume mailstorm starts carries these labels, so cleanup can
// find leftovers by label alone (the job Ryuk does when it is available).
export const MAILSTORM_LABEL = 'mailstorm';
export const RUN_LABEL = 'mailstorm.run';
export const ROLE_LABEL = 'mailstorm.role';

/** The docker filter that selects everything mailstorm started. */
export const MAILSTORM_FILTER = `label=${MAILSTORM_LABEL}=1`;

export function stackLabels(runId: string, role?: string): Record<string, string> {
  return { [MAILSTORM_LABEL]: '1', [RUN_LABEL]: runId, ...(role !== undefined && { [ROLE_LABEL]: role }) };
}
