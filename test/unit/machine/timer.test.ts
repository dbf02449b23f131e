// The interval timer: due every intervalCycles after arming, never before; acknowledging
// counts the ticks that passed and schedules the next one strictly later.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Timer } from "../../../vm/devices/timer.ts";
import { checkProperty } from "../../support/seeded-property.ts";

describe("Timer", () => {
  it("is never due while disarmed", () => {
    const timer = new Timer();
    expect(timer.cyclesUntilDue(0)).toBe(Number.POSITIVE_INFINITY);
    expect(timer.acknowledge(1e9)).toBe(0);
  });

  it("comes due one interval after arming and again each interval", () => {
    const timer = new Timer();
    timer.arm(1000, 500);
    expect(timer.cyclesUntilDue(500)).toBe(1000);
    expect(timer.cyclesUntilDue(1499)).toBe(1);
    expect(timer.acknowledge(1499)).toBe(0);
    expect(timer.cyclesUntilDue(1500)).toBe(0);
    expect(timer.acknowledge(1500)).toBe(1);
    expect(timer.cyclesUntilDue(1500)).toBe(1000);
    expect(timer.dueAtCycles).toBe(2500);
  });

  it("counts every tick that passed while the machine skipped ahead", () => {
    const timer = new Timer();
    timer.arm(100, 0);
    expect(timer.acknowledge(450)).toBe(4);
    expect(timer.dueAtCycles).toBe(500);
  });

  it("refuses an interval below one cycle", () => {
    expect(() => new Timer().arm(0, 0)).toThrow(RangeError);
  });

  it("restores its state", () => {
    const timer = new Timer();
    timer.arm(300, 7);
    const copy = new Timer();
    copy.setState(timer.getState());
    expect(copy.cyclesUntilDue(10)).toBe(timer.cyclesUntilDue(10));
    copy.disarm();
    expect(copy.getState().enabled).toBe(false);
  });

  it("delivers exactly floor((now - start) / interval) ticks over any sequence of acknowledgements", () => {
    checkProperty(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.nat(1e6),
        fc.array(fc.nat(50_000), { maxLength: 30 }),
        (intervalCycles, startCycles, steps) => {
          const timer = new Timer();
          timer.arm(intervalCycles, startCycles);
          let now = startCycles;
          let ticks = 0;
          for (const step of steps) {
            now += step;
            ticks += timer.acknowledge(now);
            expect(timer.cyclesUntilDue(now)).toBeGreaterThan(0);
          }
          expect(ticks).toBe(Math.floor((now - startCycles) / intervalCycles));
        },
      ),
      "test/unit/machine/timer.test.ts",
      300,
    );
  });
});
