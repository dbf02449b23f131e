// Fuzz target "elf": a corpus executable with 1 to 8 mutations (a flipped bit, a random
// byte, a header or program-header field set to an edge value, truncation, appended junk),
// loaded and run as `sterna exec` runs it.

import { corpusElfs } from "../corpus.ts";
import type { Prng } from "../prng.ts";
import type { FuzzTarget } from "../target.ts";
import { runGuestImage } from "./guest-run.ts";

export interface ElfInput {
  base: string;
  /** The mutated image, hex. */
  imageHex: string;
  mutations: string[];
}

const edgeValues = [
  0, 1, 2, 3, 0x20, 0x34, 0xfff, 0x1000, 0x7fffffff, 0x80000000, 0xbf700000, 0xbffff000, 0xc0000000,
  0xfffff000, 0xffffffff, 0x08048000, 0x08049000, 0x0804a000,
];

/** ELF header fields (offset, bytes) and, per program header, its fields. */
const headerFields: [number, number][] = [
  [4, 1],
  [5, 1],
  [6, 1],
  [16, 2],
  [18, 2],
  [20, 4],
  [24, 4],
  [28, 4],
  [40, 2],
  [42, 2],
  [44, 2],
];
const programHeaderFields: [number, number][] = [
  [0, 4],
  [4, 4],
  [8, 4],
  [16, 4],
  [20, 4],
  [24, 4],
];

function setField(bytes: Uint8Array, offset: number, width: number, value: number): void {
  for (let i = 0; i < width && offset + i < bytes.length; i++) {
    bytes[offset + i] = (value >>> (8 * i)) & 0xff;
  }
}

export function mutateElf(rng: Prng, original: Uint8Array, mutations: string[]): Uint8Array {
  let bytes = Uint8Array.from(original);
  const count = 1 + rng.below(8);
  for (let m = 0; m < count; m++) {
    const kind = rng.below(6);
    if (kind === 0) {
      const at = rng.below(bytes.length);
      const bit = rng.below(8);
      bytes[at]! ^= 1 << bit;
      mutations.push(`flip ${at}:${bit}`);
    } else if (kind === 1) {
      const at = rng.below(Math.min(bytes.length, 256));
      bytes[at] = rng.next32() & 0xff;
      mutations.push(`byte ${at}`);
    } else if (kind === 2) {
      const [offset, width] = rng.pick(headerFields);
      const value = rng.chance(0.8) ? rng.pick(edgeValues) : rng.next32();
      setField(bytes, offset, width, value);
      mutations.push(`header@${offset}=${value.toString(16)}`);
    } else if (kind === 3) {
      const index = rng.below(4);
      const [offset, width] = rng.pick(programHeaderFields);
      const value = rng.chance(0.8) ? rng.pick(edgeValues) : rng.next32();
      setField(bytes, 52 + 32 * index + offset, width, value);
      mutations.push(`phdr${index}@${offset}=${value.toString(16)}`);
    } else if (kind === 4) {
      const length = rng.below(bytes.length + 1);
      bytes = bytes.slice(0, length);
      mutations.push(`truncate ${length}`);
    } else {
      const extra = rng.bytes(1 + rng.below(64));
      const grown = new Uint8Array(bytes.length + extra.length);
      grown.set(bytes);
      grown.set(extra, bytes.length);
      bytes = grown;
      mutations.push(`append ${extra.length}`);
    }
  }
  return bytes;
}

export const elfFilesTarget: FuzzTarget<ElfInput> = {
  name: "elf",
  description: "mutated ELF executables, loaded and run as `sterna exec` does",
  generate(rng) {
    const corpus = corpusElfs();
    const base = rng.pick([...corpus.keys()]);
    const mutations: string[] = [];
    const image = mutateElf(rng, corpus.get(base)!, mutations);
    return { base, imageHex: Buffer.from(image).toString("hex"), mutations };
  },
  run(input) {
    return runGuestImage(new Uint8Array(Buffer.from(input.imageHex, "hex")), new Uint8Array(0), [
      input.base,
    ]);
  },
  summarize(input) {
    return `${input.base} with ${input.mutations.join(", ")}`;
  },
};
