// The vm's seeded PRNG: a seed gives one sequence; fork(label) gives a stream that depends
// only on the seed and the label (not on draws made before), and different labels differ.

import { describe, expect, it } from "vitest";
import { SeededRandom } from "../../../vm/random/seeded-random.ts";

const draws = (random: SeededRandom, count: number) =>
  Array.from({ length: count }, () => random.nextUint32());

describe("SeededRandom", () => {
  it("replays from its seed and differs with another", () => {
    expect(draws(new SeededRandom(42), 8)).toEqual(draws(new SeededRandom(42), 8));
    expect(draws(new SeededRandom(42), 8)).not.toEqual(draws(new SeededRandom(43), 8));
  });

  it("forks streams named by labels, independent of earlier draws", () => {
    const parent = new SeededRandom(7);
    const before = draws(parent.fork("ethernet-backoff-1"), 8);
    draws(parent, 100);
    expect(draws(parent.fork("ethernet-backoff-1"), 8)).toEqual(before);
    expect(draws(parent.fork("ethernet-backoff-2"), 8)).not.toEqual(before);
    expect(draws(new SeededRandom(8).fork("ethernet-backoff-1"), 8)).not.toEqual(before);
  });

  it("draws below a limit, roughly uniformly", () => {
    const random = new SeededRandom(1);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) counts[random.below(4)]!++;
    for (const count of counts) expect(count).toBeGreaterThan(900);
    expect(new SeededRandom(1).chance(0)).toBe(false);
    expect(new SeededRandom(1).chance(1)).toBe(true);
  });
});
