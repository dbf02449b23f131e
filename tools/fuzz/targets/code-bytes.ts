// Fuzz target "code": random bytes as the program's code (now and then with an `int 0x80`,
// prefixes or a syscall number mixed in), in a tiny executable with a page of bss, run as
// `sterna exec` runs it with an instruction limit.

import type { Prng } from "../prng.ts";
import type { FuzzTarget } from "../target.ts";
import { tinyElf } from "../tiny-elf.ts";
import { runGuestImage } from "./guest-run.ts";

export interface CodeInput {
  codeHex: string;
}

const fragments = [
  [0xcd, 0x80], // int 0x80
  [0xb8, 0x04, 0, 0, 0], // mov eax, 4 (write)
  [0xb8, 0x01, 0, 0, 0], // mov eax, 1 (exit)
  [0xb8, 0x9e, 0, 0, 0], // mov eax, 158 (sched_yield)
  [0x66],
  [0xf3],
  [0xf2],
  [0xf0],
  [0x2e],
  [0x67],
  [0x0f],
  [0xeb, 0xfe], // jmp $
  [0xe8, 0, 0, 0, 0], // call next
  [0xc3], // ret
];

export const codeBytesTarget: FuzzTarget<CodeInput> = {
  name: "code",
  description: "random bytes as code in a tiny executable",
  generate(rng: Prng) {
    const code: number[] = [];
    const length = 1 + rng.below(256);
    while (code.length < length) {
      if (rng.chance(0.15)) code.push(...rng.pick(fragments));
      else code.push(rng.next32() & 0xff);
    }
    return { codeHex: Buffer.from(code).toString("hex") };
  },
  run(input) {
    const image = tinyElf(new Uint8Array(Buffer.from(input.codeHex, "hex")), 4096);
    return runGuestImage(image, new Uint8Array([0x61, 0x62, 0x0a]), ["code"]);
  },
  summarize(input) {
    return `${input.codeHex.length / 2} code bytes ${input.codeHex.slice(0, 48)}...`;
  },
};
