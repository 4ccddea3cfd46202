// user-day's parameters: a population with a LoadGen-style profile, one simulated working
// day compressed into a short real run.
import { z } from 'zod';
import { PROFILE_NAMES } from './profiles.ts';

export const userDayParams = z.object({
  profile: z.enum(PROFILE_NAMES).default('average').describe('LoadGen-style user profile: light 5 sent / 20 received / 33 tasks, average 10 / 40 / 66, heavy 20 / 80 / 132 per user-day'),
  users: z.number().int().min(1).max(1_200_000).default(50).describe('active users (the load that `mailstorm capacity user-day` steps)'),
  simHours: z.number().min(0.1).max(24).default(8).describe('simulated hours of the user day (LoadGen simulates an 8-hour working day)'),
  duration: z.string().default('40s').describe('real time the simulated day is compressed into (k6 duration)'),
  mobileShare: z.number().min(0).max(1).default(0.5).describe('share of users with a phone syncing over ActiveSync (assumed)'),
  heartbeatSeconds: z.number().min(60).max(3540).default(900).describe('ActiveSync heartbeat of each phone, simulated seconds (ActiveSync range 60-3540)'),
  commandsPerSession: z.number().int().min(1).max(50).default(5).describe('IMAP commands drawn from the imaptest-weighted mix in each session, between LOGIN/SELECT and LOGOUT'),
  messageKB: z.number().min(1).max(10_000).default(20).describe('size of each message, KB (scaled down from the 75 KB sizing average to keep steps short)'),
  minTasksAchieved: z.number().min(0).max(1).default(0.99).describe('gate: share of the planned tasks achieved (LoadGen passes a run on tasks achieved)'),
  maxTaskP99Ms: z.number().min(1).default(2000).describe('gate: p99 of every task\'s duration, real ms'),
  maxVUs: z.number().int().min(1).max(100_000).default(400).describe('VUs each task type may use at most (a task that finds none free is a dropped, unachieved task)'),
});

export type UserDayParams = z.output<typeof userDayParams>;
