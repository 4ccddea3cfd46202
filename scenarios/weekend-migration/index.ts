// weekend-migration: movers copy mailboxes over IMAP from a source to a target store in
// phases while live mail keeps arriving; checkpoints project completion against the
// weekend window and call go / no-go / roll back as early as the figures allow.
import { StackError } from '../../engine/errors.ts';
import { SMTP_POOL_CONNECTIONS } from '../../engine/clients/smtp-client.ts';
import { replayBehindMs } from '../../engine/paced-clock.ts';
import { defineScenario } from '../../harness/scenario/types.ts';
import type { ExecutorConfig } from '../../engine/options/types.ts';
import { MigrationProgress, phaseSizes } from './checkpoint.ts';
import {
  compression, corruptMailboxes, realWindowMs, scaleWeekendMigration, weekendMigrationParams, windowMs,
} from './params.ts';
import { live, move } from './flows.ts';
import { reportMigration } from './report.ts';
import { takeCheckpoint, isOver, type MigrationData } from './state.ts';
import { migrationStory } from './story.ts';
import { WEEKEND_MIGRATION_METRICS } from './metrics.ts';

/** `n` addresses evenly spaced over the migration order, so some move early and some late. */
function spread(order: readonly string[], n: number): string[] {
  const k = Math.max(1, Math.min(n, order.length));
  return Array.from({ length: k }, (_, i) => order[Math.floor(((i + 0.5) * order.length) / k)] as string);
}

export const weekendMigration = defineScenario({
  name: 'weekend-migration',
  description:
    'Movers copy mailboxes over IMAP (fetch from the source store, APPEND to the target, verify SHA-256, once, flags) in 11 phases while live mail ' +
    'arrives for migrated and not-yet-migrated users; checkpoints per phase (and every 2 simulated hours) project completion against a 48-hour weekend ' +
    'and call go / no-go / roll back. Defaults: 2,200 accounts (1.8% of 2009\'s 122,565; one corrupt mailbox, 0.05%), the weekend compressed into 120 s ' +
    '(1,440x). movers=8 passes; movers=2 (too little concurrency, as 2004) rolls back within the first hours and fails.',
  incident:
    'Weekend migration, 2004 and 2009: 2004: migration stopped and rolled back because it could not finish in the allotted time; ' +
    '2009: 11 phases, 122,565 accounts from 54 organisations in 4 phases, 99.95% success (57 corrupt accounts not moved), ' +
    '50,000 accounts in one weekend, 2.5 million e-mails sent during the migration.',
  params: weekendMigrationParams,
  scale: scaleWeekendMigration,
  timeCompression: compression,
  stack: (p) => {
    const sizes = phaseSizes(p.accounts, p.phases);
    return {
      population: { organisations: sizes.map((users, k) => ({ name: `Phase ${k + 1} organisations`, users })), weakPasswordShare: 0, maxDevices: 0 },
      lockout: { policy: 'none' },
      mailstores: [
        {
          name: 'source',
          seedMessages: { median: p.seedMedianMessages, sigma: p.seedSigma, sizeMedianBytes: p.sizeMedianBytes },
          corruptShare: p.corruptShare,
          corruptMailboxes: corruptMailboxes(p),
        },
        { name: 'target' },
      ],
      deliverTo: 'source',
    };
  },
  options: (p) => {
    // Room past the window: simulated time is paced, so a harness held up takes longer on the wall.
    const realMs = realWindowMs(p) * 1.5;
    const scenarios: Record<string, ExecutorConfig> = {
      movers: { executor: 'shared-iterations', exec: 'move', vus: p.movers, iterations: p.accounts, maxDuration: `${Math.ceil(realMs / 1000)}s`, gracefulStop: '10s' },
    };
    const liveCount = Math.floor(p.liveMailPerHour * p.windowHours);
    if (liveCount > 0) {
      scenarios['live'] = { executor: 'shared-iterations', exec: 'live', vus: 4, iterations: liveCount, maxDuration: `${Math.ceil(realMs / 1000)}s`, gracefulStop: '5s' };
    }
    return {
      scenarios,
      thresholds: {
        migration_projected_ratio: [{ threshold: 'max<=1', description: `at a checkpoint the migration was projected to overrun the ${p.windowHours}-hour window (2004: stopped and rolled back)` }],
        migration_account_success: [{ threshold: `rate>=${p.minSuccessPct / 100}`, description: `fewer than ${p.minSuccessPct}% of the accounts were moved and verified` }],
        migration_integrity_failures: [{ threshold: 'value==0', description: 'a migrated message was missing, duplicated, altered or lost its flags on the target' }],
        live_mail_lost: [{ threshold: 'value==0', description: 'mail sent during the migration is not in the store its recipient now reads' }],
      },
    };
  },
  // A move is one account: an IMAP session on the source (LOGIN, LIST, SELECT and FETCH of
  // its folder, LOGOUT) and one on the target (the same plus an APPEND per message). Messages
  // per mailbox are log-normal, so the figures use its mean: an estimate, said so in the plan.
  // Live mail is one 2 KB message through the relay.
  load: (p) => {
    const messages = p.seedMedianMessages * Math.exp((p.seedSigma * p.seedSigma) / 2);
    const bytes = Math.round(messages * p.sizeMedianBytes);
    return {
      move: {
        perIteration: {
          'imap-source': { requests: 5, bytes, connections: 1 },
          'imap-target': { requests: Math.ceil(6 + messages), bytes, connections: 1 },
        },
        note: `an estimate: ${messages.toFixed(1)} messages per mailbox on average (log-normal)`,
      },
      live: { perIteration: { smtp: { messages: 1, bytes: 2048, connections: 1, connectionsAtMost: SMTP_POOL_CONNECTIONS } } },
    };
  },
  metrics: WEEKEND_MIGRATION_METRICS,
  async setup(ctx): Promise<MigrationData> {
    const directory = ctx.stack.directory;
    if (!directory) throw new StackError('weekend-migration needs a stack with a directory (the accounts to move)');
    if (!ctx.stack.routeUser) throw new StackError('weekend-migration needs a stack that routes mail per user (Stack.routeUser) between the "source" and "target" mailstores');
    const p = ctx.params;
    const order = Array.from({ length: Math.min(p.accounts, directory.userCount) }, (_, i) => directory.addressAt(i));
    const sizes = phaseSizes(order.length, p.phases);
    ctx.events.record('migration_start', { accounts: order.length, phases: sizes.length, movers: p.movers, windowHours: p.windowHours, compression: compression(p) });
    return {
      order, phaseSizes: sizes, progress: new MigrationProgress(sizes, windowMs(p), p.rollbackRatio),
      next: 0, inFlight: 0, startSim: ctx.simClock.now(), startWall: ctx.clock.now(), behindAtStartMs: replayBehindMs(ctx.simClock),
      occupiedSimMs: Array.from({ length: p.movers }, () => 0), serviceWallMs: 0, moveWallMs: 0, results: [], storeOf: new Map(), live: [], liveIssued: 0,
      liveRecipients: spread(order, p.liveRecipients),
      lastInterimAt: ctx.simClock.now(), pick: ctx.random.fork('live-recipients'),
    };
  },
  flows: { move, live },
  monitor(ctx) {
    const d = ctx.data;
    ctx.metrics.gauge('migration_accounts_done', d.progress.done);
    ctx.metrics.gauge('migration_movers_busy', d.inFlight);
    const now = ctx.simClock.now();
    if (!isOver(d) && now - d.lastInterimAt >= ctx.params.checkpointHours * 3_600_000) {
      d.lastInterimAt = now;
      takeCheckpoint(ctx, d, 'interim');
    }
  },
  drain: () => ({ timeout: '15s' }),
  story: (p) => migrationStory(p),
  finish: (ctx) => reportMigration(ctx, ctx.data),
});

export default weekendMigration;
