// A mail user's day as Exchange Load Generator (LoadGen) profiles it: messages sent and
// received per user-day and the tasks a user performs in it. LoadGen's Outlook profiles
// are light 5 sent / 20 received, average 10 / 40, heavy 20 / 80 (each received is four
// times sent), and heavy performs 132 tasks per user-day; light and average tasks are
// scaled from heavy by their sent mail (an assumption: LoadGen's task lists differ in detail).

export const PROFILES = {
  light: { sentPerDay: 5, receivedPerDay: 20, tasksPerDay: 33 },
  average: { sentPerDay: 10, receivedPerDay: 40, tasksPerDay: 66 },
  heavy: { sentPerDay: 20, receivedPerDay: 80, tasksPerDay: 132 },
} as const;

export type ProfileName = keyof typeof PROFILES;
export const PROFILE_NAMES = Object.keys(PROFILES) as [ProfileName, ...ProfileName[]];

/**
 * imaptest's default command weights (Dovecot's IMAP stress tool): LOGIN, SELECT and
 * LOGOUT open and close every session here, and the rest are drawn by weight within it.
 * APPEND is a multi-append (two messages) 5 % of the time.
 */
export const IMAP_COMMAND_WEIGHTS = { FETCH: 100, STORE: 50, APPEND: 100, EXPUNGE: 100, LIST: 50, STATUS: 50 } as const;
export type ImapCommandName = keyof typeof IMAP_COMMAND_WEIGHTS;
export const MULTI_APPEND_SHARE = 0.05;
