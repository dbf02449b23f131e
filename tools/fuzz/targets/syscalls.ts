// Fuzz target "syscall": a sequence of 1 to 12 `int 0x80` with random register values
// (numbers biased to the ABI's calls, arguments to edge values: null, unmapped, kernel space,
// the program's own data, huge lengths), then exit. Half the inputs run as `sterna exec` runs a
// program, half on a booted node as `sterna boot` does (with itself in the file store, so
// spawn, wait, kill, send and receive meet real processes), for 20 ms of virtual time.

import { bootNode } from "../../../kernel/boot/boot-node.ts";
import { LoadError } from "../../../kernel/loader/load-error.ts";
import type { Prng } from "../prng.ts";
import { describeThrown, type FuzzTarget, finding, ok } from "../target.ts";
import { tinyElf, tinyElfEntryAddress } from "../tiny-elf.ts";
import { runGuestImage } from "./guest-run.ts";

export interface SyscallInput {
  onNode: boolean;
  /** Per call: eax, ebx, ecx, edx, esi, edi. */
  calls: number[][];
}

const callNumbers = [
  1, 3, 4, 20, 45, 158, 1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1010, 1011,
  1012,
];
/** mov r32, imm32 opcodes for eax, ebx, ecx, edx, esi, edi. */
const movOpcodes = [0xb8, 0xbb, 0xb9, 0xba, 0xbe, 0xbf];
const callBytes = 6 * 5 + 2;
const exitBytes = 5 + 5 + 2;
const bssBytes = 8192;

function argumentValue(rng: Prng, dataAddress: number, bssAddress: number): number {
  switch (rng.below(12)) {
    case 0:
      return 0;
    case 1:
      return rng.pick([1, 2, 3, 4, 16, 255, 4096, 4097, 65536, 1 << 20]);
    case 2:
      return rng.pick([0xffffffff, 0xfffffffe, 0x7fffffff, 0x80000000]);
    case 3:
      return dataAddress;
    case 4:
      return bssAddress + rng.below(bssBytes);
    case 5:
      return rng.pick([0xbffffff0, 0xbffff000, 0xc0000000, 0xbfffffff, 0x1000, 0xfff]);
    case 6:
      return 0x100000 + rng.below(0x1000);
    case 7:
      return rng.pick([0x1001, 0x10001, 1]); // pid-like
    default:
      return rng.next32();
  }
}

function encode(input: SyscallInput): Uint8Array {
  const code = new Uint8Array(input.calls.length * callBytes + exitBytes + 16);
  const view = new DataView(code.buffer);
  let at = 0;
  const mov = (opcode: number, value: number) => {
    code[at] = opcode;
    view.setUint32(at + 1, value >>> 0, true);
    at += 5;
  };
  for (const call of input.calls) {
    for (let r = 5; r >= 0; r--) mov(movOpcodes[r]!, call[r]!);
    code.set([0xcd, 0x80], at);
    at += 2;
  }
  mov(0xbb, 0);
  mov(0xb8, 1);
  code.set([0xcd, 0x80], at);
  at += 2;
  code.set(new TextEncoder().encode("syscall\0peer\0"), at);
  return code;
}

/** The input's executable: its calls, then exit(0), then the names "syscall" and "peer". */
export function syscallImage(input: SyscallInput): Uint8Array {
  return tinyElf(encode(input), bssBytes);
}

function dataAddressFor(callCount: number): number {
  return tinyElfEntryAddress + callCount * callBytes + exitBytes;
}

export const syscallsTarget: FuzzTarget<SyscallInput> = {
  name: "syscall",
  description: "random register values into int 0x80, on `exec`'s and `boot`'s paths",
  generate(rng) {
    const count = 1 + rng.below(12);
    const dataAddress = dataAddressFor(count);
    const bssAddress = (dataAddress + 16 + 0xfff) & ~0xfff;
    const calls: number[][] = [];
    for (let i = 0; i < count; i++) {
      const number = rng.chance(0.9) ? rng.pick(callNumbers) : rng.next32();
      const call = [number >>> 0];
      for (let r = 0; r < 5; r++) call.push(argumentValue(rng, dataAddress, bssAddress) >>> 0);
      calls.push(call);
    }
    return { onNode: rng.chance(0.5), calls };
  },
  run(input) {
    const image = syscallImage(input);
    if (!input.onNode) return runGuestImage(image, new Uint8Array([0x41, 0x0a]), ["syscall"]);
    try {
      bootNode({
        files: [
          { path: "syscall", image },
          { path: "peer", image },
        ],
        runs: ["syscall"],
        untilNs: 20_000_000,
        onOutput: () => undefined,
        onReport: () => undefined,
      });
      return ok;
    } catch (error) {
      if (error instanceof LoadError) return ok;
      return finding(describeThrown(error));
    }
  },
  summarize(input) {
    const hex = (value: number) => `0x${value.toString(16)}`;
    const calls = input.calls.map((call) => `[${call.map(hex).join(" ")}]`).join(" ");
    return `${input.onNode ? "boot" : "exec"}: ${calls}`;
  },
};
