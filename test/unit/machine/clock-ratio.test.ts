// Cycles <-> nanoseconds must be exact at any time a run can reach: a nanosecond off made a
// node stamp a frame before the quantum it was sent in (review of issue 8, F1: at 100 MHz,
// cycle 4,954,920,339 read as 49,549,203,389 ns, and the medium refused the frame).

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ClockRatio } from "../../../vm/machine/clock-ratio.ts";
import { checkProperty } from "../../support/seeded-property.ts";

const clockRates = [100e6, 1e6, 3e6, 33_333_000, 7_777_000, 1e9, 2_400_000_000, 1e10];

/** floor(cycles * 1e9 / hz) in exact integers. */
function nsReference(cycles: number, hz: number): number {
  return Number((BigInt(cycles) * 1_000_000_000n) / BigInt(hz));
}

/** ceil(ns * hz / 1e9) in exact integers. */
function cyclesReference(ns: number, hz: number): number {
  const product = BigInt(ns) * BigInt(hz);
  return Number((product + 999_999_999n) / 1_000_000_000n);
}

describe("ClockRatio", () => {
  it("reads the cycle that made a node stamp a frame a nanosecond early", () => {
    const clock = new ClockRatio(100e6);
    expect(clock.nsAtCycle(4_954_920_339)).toBe(49_549_203_390);
    expect(clock.cyclesAtNs(49_549_203_390)).toBe(4_954_920_339);
    // The same products in doubles are off: what the machine computed before.
    expect(Math.ceil((49_549_203_390 * 100e6) / 1e9)).toBe(4_954_920_340);
  });

  it("converts exactly both ways at every clock rate, up to 2^53 ns", () => {
    checkProperty(
      fc.property(
        fc.constantFrom(...clockRates),
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        (hz, value) => {
          const clock = new ClockRatio(hz);
          // Cycles whose time in ns still fits a safe integer.
          const cycles = hz > 1e9 ? value : Math.floor(value * (hz / 1e9));
          const ns = clock.nsAtCycle(cycles);
          expect(ns).toBe(nsReference(cycles, hz));
          const nsValue = hz > 1e9 ? Math.floor(value / (hz / 1e9)) : value;
          expect(clock.cyclesAtNs(nsValue)).toBe(cyclesReference(nsValue, hz));
          // The last ns whose cycle has come: its cycle is at or before, the next one's after.
          expect(clock.cyclesAtNs(ns)).toBeLessThanOrEqual(cycles);
          expect(clock.cyclesAtNs(ns + 1)).toBeGreaterThan(cycles);
        },
      ),
      "test/unit/machine/clock-ratio.test.ts",
      2000,
    );
  });

  it("keeps infinity and fractions of a nanosecond as before", () => {
    const clock = new ClockRatio(3e6);
    expect(clock.cyclesAtNs(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
    expect(clock.cyclesAtNs(333.2)).toBe(1);
    expect(clock.cyclesAtNs(333.4)).toBe(2);
  });

  it("refuses a rate with no exact ratio to nanoseconds, or not a whole number", () => {
    expect(() => new ClockRatio(123_456_789)).toThrow(/whole number of kHz/);
    expect(() => new ClockRatio(33.5e6 + 0.5)).toThrow(RangeError);
    expect(() => new ClockRatio(0)).toThrow(RangeError);
    expect(() => new ClockRatio(-1e6)).toThrow(RangeError);
  });
});
