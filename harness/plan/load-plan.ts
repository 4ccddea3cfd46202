// The load a run will send, per endpoint, computed from the scenario's executors and its
// flows' load declarations before anything starts: peak messages/s and requests/s, peak
// connections, total messages, bytes and requests, and the load's duration. A flow with no
// declaration is listed as such; its load is never guessed.
import { executorLoad } from '../../engine/executors/executor-load.ts';
import type { RunPlan } from '../run/prepare.ts';
import type { EndpointLoad, FlowLoad } from '../scenario/flow-load.ts';

export interface ExecutorPlan {
  /** key of options.scenarios */
  scenario: string;
  flow: string;
  executor: string;
  /** null: bounded only by time (closed loop) */
  iterations: number | null;
  /** null: the executor does not pace its iterations */
  peakIterationsPerSec: number | null;
  peakConcurrency: number;
  startMs: number;
  durationMs: number;
  declared: boolean;
  note?: string;
}

/** Per endpoint; null means the plan cannot bound the figure (a closed loop with no pace). */
export interface EndpointPlan {
  endpoint: string;
  peakMessagesPerSec: number | null;
  peakRequestsPerSec: number | null;
  peakConnections: number;
  messages: number | null;
  bytes: number | null;
  requests: number | null;
  /** the executors (options.scenarios keys) that load it */
  from: string[];
}

export interface LoadPlan {
  scenario: string;
  /** load length: the latest executor's start plus duration, ms */
  durationMs: number;
  executors: ExecutorPlan[];
  endpoints: EndpointPlan[];
  /** flows an executor runs that declare no load */
  undeclared: string[];
}

interface Part {
  executor: ExecutorPlan;
  endpoint: string;
  per: EndpointLoad;
  paced?: { messages?: number; requests?: number };
}

/** total = iterations x per-iteration figure; null when either is unbounded and the figure is not 0 */
function total(parts: readonly Part[], pick: (l: EndpointLoad) => number | undefined): number | null {
  let sum = 0;
  for (const p of parts) {
    const per = pick(p.per) ?? 0;
    if (per === 0) continue;
    if (p.executor.iterations === null) return null;
    sum += p.executor.iterations * per;
  }
  return sum;
}

/**
 * A part's peak per second of one figure: its own pace if declared, else executor rate x
 * per-iteration; an unpaced executor with a fixed iteration count could at worst send all of
 * it within one second, so its total bounds its rate.
 */
function partRate(p: Part, key: 'messages' | 'requests'): number | null {
  const paced = p.paced?.[key];
  if (paced !== undefined) return paced;
  const per = p.per[key] ?? 0;
  if (per === 0) return 0;
  if (p.executor.peakIterationsPerSec !== null) return p.executor.peakIterationsPerSec * per;
  return p.executor.iterations === null ? null : p.executor.iterations * per;
}

/** Highest sum over executors running at the same time (checked at every executor's start). */
function peak(parts: readonly Part[], value: (p: Part) => number | null): number | null {
  let best = 0;
  for (const at of parts) {
    const t = at.executor.startMs;
    let sum = 0;
    for (const p of parts) {
      if (p.executor.startMs > t || p.executor.startMs + p.executor.durationMs <= t) continue;
      const v = value(p);
      if (v === null) return null;
      sum += v;
    }
    best = Math.max(best, sum);
  }
  return best;
}

export function planLoad(plan: RunPlan): LoadPlan {
  const declared: Record<string, FlowLoad> = plan.definition.load?.(plan.params as never) ?? {};
  const executors: ExecutorPlan[] = [];
  const parts: Part[] = [];
  const undeclared = new Set<string>();
  for (const [name, config] of Object.entries(plan.options.scenarios)) {
    const flow = config.exec ?? name;
    const load = executorLoad(config);
    const flowLoad = declared[flow];
    const executor: ExecutorPlan = {
      scenario: name, flow, executor: config.executor, iterations: load.iterations ?? null,
      peakIterationsPerSec: load.peakIterationsPerSec ?? null, peakConcurrency: load.peakConcurrency,
      startMs: load.startMs, durationMs: load.durationMs, declared: flowLoad !== undefined,
      ...(flowLoad?.note ? { note: flowLoad.note } : {}),
    };
    executors.push(executor);
    if (!flowLoad) {
      undeclared.add(flow);
      continue;
    }
    for (const [endpoint, per] of Object.entries(flowLoad.perIteration)) {
      const paced = flowLoad.peakPerSec?.[endpoint];
      parts.push({ executor, endpoint, per, ...(paced ? { paced } : {}) });
    }
  }
  const names = [...new Set(parts.map((p) => p.endpoint))];
  const endpoints = names.map((endpoint): EndpointPlan => {
    const mine = parts.filter((p) => p.endpoint === endpoint);
    return {
      endpoint,
      peakMessagesPerSec: peak(mine, (p) => partRate(p, 'messages')),
      peakRequestsPerSec: peak(mine, (p) => partRate(p, 'requests')),
      peakConnections: peak(mine, (p) => p.per.connectionsAtMost ?? p.executor.peakConcurrency * (p.per.connections ?? 0)) ?? 0,
      messages: total(mine, (l) => l.messages),
      bytes: total(mine, (l) => l.bytes),
      requests: total(mine, (l) => l.requests),
      from: [...new Set(mine.map((p) => p.executor.scenario))],
    };
  });
  return { scenario: plan.definition.name, durationMs: plan.plannedMs, executors, endpoints, undeclared: [...undeclared] };
}
