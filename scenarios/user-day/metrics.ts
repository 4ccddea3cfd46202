// The user-day workload's own metrics, said once.
import type { DeclarationTable } from '../../engine/metrics/declare.ts';

export const USER_DAY_METRICS: DeclarationTable = {
  'user_day.tasks': { kind: 'counter', unit: 'count', label: 'user tasks', topic: 'throughput', worse: 'lower' },
  'user_day.task_time': { kind: 'trend', unit: 'ms', label: 'user tasks', topic: 'latency' },
  'imap.commands': { kind: 'counter', unit: 'count', label: 'IMAP commands', topic: 'throughput', worse: 'lower' },
  'imap.command_time': { kind: 'trend', unit: 'ms', label: 'IMAP commands', topic: 'latency' },
  'imap.state_errors': { kind: 'counter', unit: 'count', label: 'wrong IMAP answers', topic: 'errors' },
  tasks_achieved_ratio: { kind: 'gauge', unit: 'ratio', label: 'planned tasks achieved', worse: 'lower' },
};
