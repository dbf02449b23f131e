// The seeded pseudo-random generator of the vm (mulberry32: 32 bits of state, period 2^32).
// One cluster seed derives every stream: `fork(label)` gives an independent generator whose
// sequence depends only on this generator's seed and the label, never on how many numbers
// were drawn before, so adding a consumer does not shift anyone else's stream. Not
// cryptographic; nothing in vm/ draws randomness any other way.

export class SeededRandom {
  private readonly seed: number;
  private state: number;

  constructor(seed: number) {
    this.seed = seed >>> 0;
    this.state = this.seed;
  }

  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, limit); limit at most 2^32. */
  below(limit: number): number {
    return Math.floor(this.next() * limit);
  }

  /** True with probability `probability` (0 never draws true, 1 always). */
  chance(probability: number): boolean {
    return this.next() < probability;
  }

  /** An independent stream named by `label`, derived from this generator's seed only. */
  fork(label: string): SeededRandom {
    return new SeededRandom(mixSeed(this.seed, label));
  }
}

/** Hashes a seed and a label into a new seed (FNV-1a over the label, then a murmur3 finaliser). */
export function mixSeed(seed: number, label: string): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < label.length; i++) {
    hash ^= label.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}
