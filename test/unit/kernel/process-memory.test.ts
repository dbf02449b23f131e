// brk and user copies against a loaded process (hello.elf: its highest segment ends at
// 0x0804a01e, so the heap starts at 0x0804b000). brk follows Linux's contract (refusals return
// the current break); the per-process memory bound is kernel/limits.ts's
// processMemoryBytesMax; copies see memory as the user would and fault in heap/stack pages.

import { describe, expect, it } from "vitest";
import { Kernel } from "../../../kernel/kernel.ts";
import { processMemoryBytesMax } from "../../../kernel/limits.ts";
import { copyFromUser, copyToUser } from "../../../kernel/memory/user-copy.ts";
import { brkCall } from "../../../kernel/syscalls/memory-calls.ts";
import { Machine } from "../../../vm/machine.ts";
import { fixtureImage } from "./fixtures.ts";

const heapStart = 0x0804b000;
const textAddress = 0x08049000;
const stackTop = 0xc0000000;

function loaded() {
  const machine = new Machine();
  const kernel = new Kernel(machine);
  const process = kernel.exec(fixtureImage("hello"), ["hello"]);
  const brk = (address: number) => brkCall(kernel, process, address, 0, 0, 0);
  return { machine, kernel, process, brk };
}

describe("brk", () => {
  it("starts at the page after the image and moves to exactly what was asked", () => {
    const { brk } = loaded();
    expect(brk(0)).toBe(heapStart);
    expect(brk(heapStart + 12345)).toBe(heapStart + 12345);
    expect(brk(0)).toBe(heapStart + 12345);
  });

  it("refuses to pass the process memory bound, below the heap start or into the stack", () => {
    const { brk } = loaded();
    expect(brk(heapStart + processMemoryBytesMax)).toBe(heapStart);
    expect(brk(heapStart - 1)).toBe(heapStart);
    expect(brk(stackTop - 4096)).toBe(heapStart);
    expect(brk(heapStart + processMemoryBytesMax / 2)).toBe(heapStart + processMemoryBytesMax / 2);
  });

  it("unmaps whole pages above a lowered break; regrown pages read as zero", () => {
    const { machine, process, brk } = loaded();
    brk(heapStart + 3 * 4096);
    expect(copyToUser(machine, process, heapStart + 2 * 4096, Uint8Array.of(0xaa))).toBe(true);
    expect(process.addressSpace.isMapped(heapStart + 2 * 4096)).toBe(true);
    brk(heapStart + 100);
    expect(process.addressSpace.isMapped(heapStart + 2 * 4096)).toBe(false);
    brk(heapStart + 3 * 4096);
    expect(copyFromUser(machine, process, heapStart + 2 * 4096, 1)).toEqual(Uint8Array.of(0));
  });
});

describe("user copies", () => {
  it("read text but refuse to write it", () => {
    const { machine, process } = loaded();
    // hello's first instruction: B8 04 00 00 00 = mov eax, 4
    expect(copyFromUser(machine, process, textAddress, 5)).toEqual(Uint8Array.of(0xb8, 4, 0, 0, 0));
    expect(copyToUser(machine, process, textAddress, Uint8Array.of(0x90))).toBe(false);
  });

  it("fault in heap and stack pages, but nothing past the break", () => {
    const { machine, process, brk } = loaded();
    brk(heapStart + 4096);
    expect(copyToUser(machine, process, heapStart + 4090, new Uint8Array(6).fill(1))).toBe(true);
    expect(copyToUser(machine, process, heapStart + 4090, new Uint8Array(7).fill(1))).toBe(false);
    expect(copyToUser(machine, process, stackTop - (1 << 20), Uint8Array.of(5))).toBe(true);
    expect(copyToUser(machine, process, stackTop - (9 << 20), Uint8Array.of(5))).toBe(false);
  });

  it("write nothing when any page of the range is bad", () => {
    const { machine, process, brk } = loaded();
    brk(heapStart + 4096);
    const before = copyFromUser(machine, process, heapStart + 4000, 96);
    expect(copyToUser(machine, process, heapStart + 4000, new Uint8Array(200).fill(9))).toBe(false);
    expect(copyFromUser(machine, process, heapStart + 4000, 96)).toEqual(before);
  });

  it("refuse ranges outside user space", () => {
    const { machine, process } = loaded();
    expect(copyFromUser(machine, process, stackTop - 2, 4)).toBeUndefined();
    expect(copyFromUser(machine, process, 0, 1)).toBeUndefined();
  });
});
