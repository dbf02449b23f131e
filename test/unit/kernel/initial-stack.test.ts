// The stack a process starts with, as the System V i386 ABI (and Linux's execve) lays it out:
// argc at esp, argv pointers and NULL, envp NULL, auxv pairs ending in AT_NULL, esp 16-aligned.

import { describe, expect, it } from "vitest";
import { argumentBytesMax, buildInitialStack } from "../../../kernel/loader/initial-stack.ts";
import { LoadError } from "../../../kernel/loader/load-error.ts";

const top = 0xc0000000;

describe("buildInitialStack", () => {
  it("lays out argc, argv, envp and auxv with the strings above them", () => {
    const { bytes, stackPointer } = buildInitialStack(["prog", "-x", ""], top);
    expect(stackPointer % 16).toBe(0);
    expect(stackPointer + bytes.length).toBe(top);
    const view = new DataView(bytes.buffer);
    const word = (index: number) => view.getUint32(index * 4, true);
    const string = (address: number) => {
      let end = address - stackPointer;
      while (bytes[end] !== 0) end++;
      return new TextDecoder().decode(bytes.subarray(address - stackPointer, end));
    };
    expect(word(0)).toBe(3);
    expect([string(word(1)), string(word(2)), string(word(3))]).toEqual(["prog", "-x", ""]);
    expect(word(4)).toBe(0); // argv[argc]
    expect(word(5)).toBe(0); // envp[0]
    expect([word(6), word(7)]).toEqual([6, 4096]); // AT_PAGESZ
    expect([word(8), word(9)]).toEqual([0, 0]); // AT_NULL
    expect(word(1)).toBeGreaterThan(stackPointer + 9 * 4);
  });

  it("encodes arguments as UTF-8", () => {
    const { bytes, stackPointer } = buildInitialStack(["é"], top);
    const address = new DataView(bytes.buffer).getUint32(4, true);
    expect([...bytes.subarray(address - stackPointer, address - stackPointer + 3)]).toEqual([
      0xc3, 0xa9, 0,
    ]);
  });

  it("starts with argc 0 for an empty argv", () => {
    const { bytes } = buildInitialStack([], top);
    expect(new DataView(bytes.buffer).getUint32(0, true)).toBe(0);
  });

  it("refuses arguments over the limit", () => {
    expect(() => buildInitialStack(["x".repeat(argumentBytesMax)], top)).toThrow(LoadError);
  });
});
