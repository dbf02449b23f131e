// cpuid, rdtsc and the trap flag: what makes them differ from a real CPU on purpose. cpuid
// answers the fixed identity of vm/cpu/cpuid.ts; rdtsc reads the virtual cycle counter, so
// two runs read the same values; TF traps (#DB, vector 1) after the first instruction that
// starts with it set, in both tiers. Bytes are nasm 2.16's for the source in comments.

import { describe, expect, it } from "vitest";
import { StopReason } from "../../../vm/cpu/stop-reason.ts";
import { codeAddress, createGuestMachine, hexBytes } from "./guest-machine.ts";

const modes = [
  ["interpreted", 0],
  ["compiled", 1],
] as const;

function ascii(...words: number[]): string {
  return Buffer.from(Int32Array.from(words).buffer).toString("latin1");
}

describe.each(modes)("processor queries (%s)", (_mode, compileThreshold) => {
  it("cpuid leaf 0: highest leaf 1, vendor SternaI386VM (xor eax,eax; cpuid; int 0x80)", () => {
    const machine = createGuestMachine(hexBytes("31c0 0fa2 cd80"), { compileThreshold });
    expect(machine.cpu.run(1000)).toBe(StopReason.Trap);
    const [eax, ecx, edx, ebx] = machine.cpu.regs;
    expect(eax).toBe(1);
    expect(ascii(ebx!, edx!, ecx!)).toBe("SternaI386VM");
  });

  it("cpuid leaf 1: family 4, TSC and CMOV; other leaves read zeros", () => {
    const leafOne = createGuestMachine(hexBytes("b801000000 0fa2 cd80"), { compileThreshold });
    leafOne.cpu.run(1000);
    expect(Array.from(leafOne.cpu.regs.subarray(0, 4))).toEqual([
      0x400,
      0,
      (1 << 4) | (1 << 15),
      0,
    ]);
    const extended = createGuestMachine(hexBytes("b800000080 0fa2 cd80"), { compileThreshold });
    extended.cpu.regs[3] = 7;
    extended.cpu.run(1000);
    expect(Array.from(extended.cpu.regs.subarray(0, 4))).toEqual([0, 0, 0, 0]);
  });

  it("rdtsc reads the cycles spent before it, the same on every run (nop x3; rdtsc; int 0x80)", () => {
    const run = () => {
      const machine = createGuestMachine(hexBytes("90 90 90 0f31 cd80"), { compileThreshold });
      machine.cpu.cycles = 2 ** 32 + 5;
      expect(machine.cpu.run(1000)).toBe(StopReason.Trap);
      return [machine.cpu.regs[0], machine.cpu.regs[2]];
    };
    expect(run()).toEqual([8, 1]);
    expect(run()).toEqual(run());
  });

  it("TF: popfd sets it, the next instruction runs, then #DB with eip after that one", () => {
    // pushfd; or dword [esp], 0x100; popfd; inc eax; inc eax
    const machine = createGuestMachine(hexBytes("9c 810c2400010000 9d 40 40"), {
      compileThreshold,
    });
    expect(machine.cpu.run(1000)).toBe(StopReason.Exception);
    expect(machine.cpu.exceptionVector).toBe(1);
    expect(machine.cpu.eip).toBe(codeAddress + 10);
    expect(machine.cpu.regs[0]).toBe(1);
    expect(machine.cpu.instructions).toBe(4);
  });

  it("TF already set when the run starts: one instruction, then #DB", () => {
    const machine = createGuestMachine(hexBytes("40 40 40"), { compileThreshold });
    machine.cpu.setEflags(machine.cpu.getEflags() | 0x100);
    expect(machine.cpu.run(1000)).toBe(StopReason.Exception);
    expect(machine.cpu.exceptionVector).toBe(1);
    expect(machine.cpu.eip).toBe(codeAddress + 1);
    expect(machine.cpu.run(1000)).toBe(StopReason.Exception);
    expect(machine.cpu.eip).toBe(codeAddress + 2);
    // Blocks never run while single-stepping, so none is compiled (compiling one on every
    // pass once made the run loop spin).
    expect(machine.cpu.compiledBlocks).toBe(0);
  });
});
