// The stream generator's seeded PRNG: the same seed gives the same program on every host. The
// generator itself (mulberry32) is the one the asm corpus generator uses (asm/seeded-random.ts);
// this adds the draws the stream families need.

import { SeededRandom } from "../asm/seeded-random.ts";

export class Prng extends SeededRandom {
  /** Uniform 32-bit unsigned integer (exact: next() is a multiple of 2^-32). */
  nextU32(): number {
    return this.next() * 0x1_0000_0000;
  }

  /** Uniform integer in [lo, hi] (both inclusive). */
  between(lo: number, hi: number): number {
    return lo + this.below(hi - lo + 1);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  /** Picks a key with probability proportional to its weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    const keys = Object.keys(weights) as K[];
    let total = 0;
    for (const key of keys) total += weights[key];
    let roll = this.next() * total;
    for (const key of keys) {
      roll -= weights[key];
      if (roll < 0) return key;
    }
    return keys[keys.length - 1]!;
  }
}
