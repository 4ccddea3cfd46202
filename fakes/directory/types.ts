// Placeholder: the directory (population, password policy, lockout, helpdesk) defines its
// public interface here.
export interface DirectoryService {}
