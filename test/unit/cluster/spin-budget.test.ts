import { describe, expect, it } from "vitest";
import { ExchangeWaiter, spinChecksFor } from "../../../vm/cluster/spin-budget.ts";

describe("the exchange waiter", () => {
  it("spins long only while every cluster thread has a core", () => {
    expect(spinChecksFor(2, 2)).toBeGreaterThan(spinChecksFor(3, 2));
    expect(spinChecksFor(1, 4)).toBe(spinChecksFor(4, 4));
  });

  it("returns at once when the word has already changed, and keeps its budget", () => {
    const control = new Int32Array(new SharedArrayBuffer(16));
    const waiter = new ExchangeWaiter(control, 64);
    control[1] = 7;
    expect(waiter.waitWhileEquals(1, 6, 1)).toBe(true);
    expect(waiter.budgetChecks).toBe(64);
  });

  it("halves its budget when it has to sleep, down to a floor, and says when the sleep ran out", () => {
    const control = new Int32Array(new SharedArrayBuffer(16));
    const waiter = new ExchangeWaiter(control, 100_000);
    expect(waiter.waitWhileEquals(0, 0, 1)).toBe(false);
    expect(waiter.budgetChecks).toBe(50_000);
    for (let round = 0; round < 20; round++) waiter.waitWhileEquals(0, 0, 0);
    const floor = waiter.budgetChecks;
    expect(floor).toBeGreaterThan(0);
    expect(floor).toBeLessThan(50_000);
    control[0] = 1;
    expect(waiter.waitWhileEquals(0, 0, 1)).toBe(true);
    expect(waiter.budgetChecks).toBe(floor * 2);
  });
});
