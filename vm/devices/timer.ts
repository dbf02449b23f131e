// The interval timer: once armed, it comes due every `intervalCycles` machine cycles and then
// raises IRQ 0. It models a periodic tick only (no one-shot mode, no readable down-counter);
// the machine asks it how far away the next tick is so the CPU loop never polls it.

import type { DeviceDescriptor } from "../machine/device-descriptor.ts";

export const timerDescriptor: DeviceDescriptor = {
  name: "timer",
  irq: 0,
  registers: [
    { name: "interval", widthBits: 32, access: "read-write" },
    { name: "enabled", widthBits: 8, access: "read-write" },
  ],
};

export interface TimerState {
  enabled: boolean;
  intervalCycles: number;
  nextDueCycles: number;
}

export class Timer {
  readonly descriptor = timerDescriptor;
  private intervalCycles = 0;
  /** Infinity while disarmed. */
  private nextDueCycles = Number.POSITIVE_INFINITY;

  /** Starts periodic ticks: the first comes due `intervalCycles` after `nowCycles`. */
  arm(intervalCycles: number, nowCycles: number): void {
    if (!Number.isFinite(intervalCycles) || intervalCycles < 1) {
      throw new RangeError(`timer interval must be at least 1 cycle, got ${intervalCycles}`);
    }
    this.intervalCycles = intervalCycles;
    this.nextDueCycles = nowCycles + intervalCycles;
  }

  disarm(): void {
    this.nextDueCycles = Number.POSITIVE_INFINITY;
  }

  /** Cycles until the next tick: 0 when due now or overdue, Infinity when disarmed. */
  cyclesUntilDue(nowCycles: number): number {
    return Math.max(0, this.nextDueCycles - nowCycles);
  }

  /** The absolute cycle count of the next tick (Infinity when disarmed). */
  get dueAtCycles(): number {
    return this.nextDueCycles;
  }

  /**
   * Accepts the ticks that are due at `nowCycles` and schedules the next one after it.
   * Returns how many ticks elapsed (more than one when the machine skipped ahead).
   */
  acknowledge(nowCycles: number): number {
    if (nowCycles < this.nextDueCycles) return 0;
    const ticks = Math.floor((nowCycles - this.nextDueCycles) / this.intervalCycles) + 1;
    this.nextDueCycles += ticks * this.intervalCycles;
    return ticks;
  }

  getState(): TimerState {
    return {
      enabled: this.nextDueCycles !== Number.POSITIVE_INFINITY,
      intervalCycles: this.intervalCycles,
      nextDueCycles: this.nextDueCycles,
    };
  }

  setState(state: TimerState): void {
    this.intervalCycles = state.intervalCycles;
    this.nextDueCycles = state.enabled ? state.nextDueCycles : Number.POSITIVE_INFINITY;
  }
}
