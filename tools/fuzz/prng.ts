// A small seeded PRNG for the fuzzer (xorshift32 seeded through a 32-bit mix), so that every
// input is a pure function of (seed, target, index) and one line replays it.

/** Mixes numbers into one 32-bit seed (murmur3's finaliser per step). */
export function mixSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0 || 1;
}

export function nameSeed(name: string): number {
  let h = 0;
  for (const char of name) h = Math.imul(h ^ char.charCodeAt(0), 0x01000193);
  return h >>> 0;
}

export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 1;
  }

  /** A uniform 32-bit unsigned value. */
  next32(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state;
  }

  /** An integer in 0..n-1. */
  below(n: number): number {
    return Math.floor((this.next32() / 2 ** 32) * n);
  }

  chance(probability: number): boolean {
    return this.next32() / 2 ** 32 < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)]!;
  }

  bytes(count: number): Uint8Array {
    const out = new Uint8Array(count);
    for (let i = 0; i < count; i++) out[i] = this.next32() & 0xff;
    return out;
  }
}
