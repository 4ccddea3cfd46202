import { parseDuration } from '../duration.ts';
import type { RampingVus } from '../options/types.ts';
import type { ScenarioRuntime } from './scenario-runtime.ts';
import { vuLoop } from './vu-loop.ts';
import { vuTargetAt } from './vu-ramp.ts';

/** How often the VU target is re-read during a ramp. */
const TICK_MS = 100;

interface Slot {
  vu: number;
  wanted: boolean;
  running: boolean;
  /** Interrupts the slot's current iteration (gracefulRampDown over). */
  cut: AbortController;
  /** Cancels the pending gracefulRampDown timer when the slot is wanted again. */
  rampDownTimer?: AbortController;
}

/**
 * k6 ramping-vus: the number of looping VUs follows the stages linearly. A VU ramped down
 * finishes its current iteration within gracefulRampDown (default 30s), else it is interrupted.
 */
export async function runRampingVus(config: RampingVus, rt: ScenarioRuntime): Promise<void> {
  const { clock } = rt.deps;
  const stages = config.stages.map((s) => ({ target: s.target, durationMs: parseDuration(s.duration) }));
  const totalMs = stages.reduce((sum, s) => sum + s.durationMs, 0);
  const graceMs = parseDuration(config.gracefulRampDown ?? '30s');
  const startVUs = config.startVUs ?? 1;
  const slots: Slot[] = [];

  const start = (slot: Slot) => {
    slot.running = true;
    let iteration = 0;
    void vuLoop(rt, slot.vu, () => iteration++, { keepGoing: () => slot.wanted, cut: () => slot.cut.signal })
      .finally(() => {
        slot.running = false;
        slot.rampDownTimer?.abort();
        if (slot.wanted && !rt.ending) start(slot); // wanted again while it was winding down
      });
  };
  const rampDown = (slot: Slot) => {
    slot.wanted = false;
    if (!slot.running) return;
    const timer = new AbortController();
    slot.rampDownTimer = timer;
    void rt.sleep(graceMs, timer.signal).then((expired) => {
      if (expired && slot.rampDownTimer === timer && !slot.wanted) slot.cut.abort();
    });
  };
  const apply = (target: number) => {
    while (slots.length < target) slots.push({ vu: rt.newVu(), wanted: false, running: false, cut: new AbortController() });
    slots.forEach((slot, i) => {
      if (i < target && !slot.wanted) {
        slot.wanted = true;
        slot.rampDownTimer?.abort();
        delete slot.rampDownTimer;
        if (slot.cut.signal.aborted) slot.cut = new AbortController();
        if (!slot.running) start(slot);
      } else if (i >= target && slot.wanted) {
        rampDown(slot);
      }
    });
  };

  const t0 = clock.now();
  for (;;) {
    const elapsed = clock.now() - t0;
    if (elapsed >= totalMs || rt.ending) break;
    // A segment runs the VUs it owns among the unsplit target (k6 scales VUs per segment).
    apply(rt.segment.scale(vuTargetAt(startVUs, stages, elapsed)));
    if (!(await rt.sleep(Math.min(TICK_MS, totalMs - elapsed)))) break;
  }
  for (const slot of slots) slot.rampDownTimer?.abort();
}
