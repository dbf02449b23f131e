// Load sampling (issue 5): CPU load = busy samples / samples over a sliding window of 100
// timer ticks, in permille, plus the latest and mean run-queue length and process count.
// A property compares the ring with a recomputation over the last samples.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadWindowSamples } from "../../../kernel/limits.ts";
import { LoadSampler } from "../../../kernel/load/load-sampler.ts";
import { checkProperty } from "../../support/seeded-property.ts";

describe("LoadSampler", () => {
  it("reports nothing before the first sample", () => {
    expect(new LoadSampler().snapshot()).toEqual({
      loadPermille: 0,
      runQueueLength: 0,
      processCount: 0,
      runQueueLengthAvgMilli: 0,
      processCountAvgMilli: 0,
      samples: 0,
    });
  });

  it("counts busy ticks over a window of 100: 37 busy of 100 is 370 permille", () => {
    const sampler = new LoadSampler();
    expect(sampler.windowSamples).toBe(loadWindowSamples);
    for (let tick = 0; tick < 100; tick++) sampler.record(tick >= 37, 1, 2);
    expect(sampler.snapshot()).toMatchObject({ loadPermille: 370, samples: 100 });
  });

  it("slides: after 100 busy and 50 idle ticks the window holds 50 of each", () => {
    const sampler = new LoadSampler();
    for (let tick = 0; tick < 100; tick++) sampler.record(false, 3, 5);
    for (let tick = 0; tick < 50; tick++) sampler.record(true, 0, 4);
    expect(sampler.snapshot()).toEqual({
      loadPermille: 500,
      runQueueLength: 0,
      processCount: 4,
      runQueueLengthAvgMilli: 1500,
      processCountAvgMilli: 4500,
      samples: 100,
    });
    expect(sampler.totalSamples).toBe(150);
  });

  it("records ticks skipped while idle in one call, each as an idle sample", () => {
    const sampler = new LoadSampler();
    for (let tick = 0; tick < 100; tick++) sampler.record(false, 2, 3);
    sampler.record(true, 0, 3, 30);
    expect(sampler.snapshot()).toMatchObject({ loadPermille: 700, runQueueLengthAvgMilli: 1400 });
    sampler.record(true, 0, 3, 250);
    expect(sampler.snapshot()).toMatchObject({ loadPermille: 0, samples: 100 });
    expect(sampler.totalSamples).toBe(380);
    expect(() => sampler.record(true, 0, 0, 0)).toThrow(/whole number of ticks/);
  });

  it("rounds thousandths half up over a partial window", () => {
    const sampler = new LoadSampler();
    sampler.record(false, 1, 1);
    sampler.record(true, 0, 1);
    sampler.record(true, 0, 1);
    expect(sampler.loadPermille).toBe(333); // 1/3
    const quarters = new LoadSampler(16);
    quarters.record(false, 0, 0);
    for (let tick = 0; tick < 15; tick++) quarters.record(true, 0, 0);
    expect(quarters.loadPermille).toBe(63); // 1/16 = 62.5
    const twoThirds = new LoadSampler(3);
    twoThirds.record(false, 2, 0);
    twoThirds.record(false, 0, 0);
    twoThirds.record(true, 0, 0);
    expect(twoThirds.snapshot()).toMatchObject({ loadPermille: 667, runQueueLengthAvgMilli: 667 });
  });

  it("refuses a window that is not a positive whole number of samples", () => {
    expect(() => new LoadSampler(0)).toThrow(/positive number of samples/);
  });

  it("matches a recomputation over the last windowSamples samples", () => {
    const sample = fc.tuple(
      fc.boolean(),
      fc.integer({ min: 0, max: 256 }),
      fc.integer({ min: 0, max: 256 }),
      fc.integer({ min: 1, max: 30 }),
    );
    checkProperty(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.array(sample, { minLength: 1, maxLength: 120 }),
        (window, samples) => {
          const sampler = new LoadSampler(window);
          const ticks: [boolean, number, number][] = [];
          for (const [idle, runQueue, processes, count] of samples) {
            sampler.record(idle, runQueue, processes, count);
            for (let tick = 0; tick < count; tick++) ticks.push([idle, runQueue, processes]);
          }
          const last = ticks.slice(-window);
          const mean = (values: number[]) =>
            Math.round((values.reduce((a, b) => a + b, 0) * 1000) / last.length);
          const latest = ticks[ticks.length - 1]!;
          expect(sampler.totalSamples).toBe(ticks.length);
          expect(sampler.snapshot()).toEqual({
            loadPermille: mean(last.map(([idle]) => (idle ? 0 : 1))),
            runQueueLength: latest[1],
            processCount: latest[2],
            runQueueLengthAvgMilli: mean(last.map(([, runQueue]) => runQueue)),
            processCountAvgMilli: mean(last.map(([, , processes]) => processes)),
            samples: last.length,
          });
        },
      ),
      "test/unit/kernel-parts/load-sampler.test.ts",
      300,
    );
  });
});
