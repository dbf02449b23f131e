// Precise exceptions and traps (Intel SDM vol. 3 ch. 6): a fault leaves every register as
// before the faulting instruction with eip pointing at it, and reports the vector and error
// code (#DE 0, #UD 6, #GP 13 with error code 0, #PF 14 with P/W/U/I bits and CR2); int n
// is a trap (eip after it). Instruction bytes are nasm 2.16's for the source in comments.

import { describe, expect, it } from "vitest";
import { StopReason } from "../../../vm/cpu/stop-reason.ts";
import { PTE_P, PTE_US } from "../../../vm/mmu/page-table-entry.ts";
import { codeAddress, createGuestMachine, hexBytes } from "./guest-machine.ts";

const modes = [
  ["interpreted", 0],
  ["compiled", 1],
] as const;

function machineWith(hex: string, compileThreshold: number, regs: Record<number, number> = {}) {
  const machine = createGuestMachine(hexBytes(hex), { compileThreshold });
  for (const [index, value] of Object.entries(regs)) machine.cpu.regs[Number(index)] = value;
  return machine;
}

function expectFault(
  machine: ReturnType<typeof createGuestMachine>,
  vector: number,
  errorCode: number,
  eip: number,
) {
  const before = Array.from(machine.cpu.regs);
  expect(machine.cpu.run(1000)).toBe(StopReason.Exception);
  expect(machine.cpu.exceptionVector).toBe(vector);
  expect(machine.cpu.exceptionErrorCode).toBe(errorCode);
  expect(machine.cpu.eip).toBe(eip);
  return before;
}

describe.each(modes)("faults (%s)", (_mode, compileThreshold) => {
  it("#DE on division by zero, registers unchanged (div ecx = F7 F1)", () => {
    const machine = machineWith("f7f1", compileThreshold, { 0: 123, 1: 0, 2: 7 });
    const before = expectFault(machine, 0, 0, codeAddress);
    expect(Array.from(machine.cpu.regs)).toEqual(before);
    expect(machine.cpu.instructions).toBe(0);
  });

  it("#DE on quotient overflow: idiv of -2^31 by -1 (idiv ecx = F7 F9)", () => {
    const machine = machineWith("f7f9", compileThreshold, { 0: 0x80000000, 1: -1, 2: -1 });
    expectFault(machine, 0, 0, codeAddress);
  });

  it("#DE when an 8-bit quotient does not fit: 0x1000 / 0x10 (div bl = F6 F3)", () => {
    const machine = machineWith("f6f3", compileThreshold, { 0: 0x1000, 3: 0x10 });
    expectFault(machine, 0, 0, codeAddress);
  });

  it("#UD for ud2 (0F 0B), the 0x67 prefix and x87 opcodes", () => {
    expectFault(machineWith("0f0b", compileThreshold), 6, 0, codeAddress);
    expectFault(machineWith("678b07", compileThreshold), 6, 0, codeAddress);
    expectFault(machineWith("d9e8", compileThreshold), 6, 0, codeAddress);
  });

  it.each([
    ["hlt", "f4"],
    ["cli", "fa"],
    ["sti", "fb"],
    ["in al, dx", "ec"],
    ["out 0x80, al", "e680"],
    ["insb", "6c"],
  ])("#GP(0) at CPL 3 for %s", (_source, hex) => {
    expectFault(machineWith(hex, compileThreshold), 13, 0, codeAddress);
  });

  it.each([
    ["mov eax, cr0", "0f20c0"],
    ["mov eax, cr1 (qemu-i386 also gives #GP)", "0f20c8"],
    ["mov cr3, eax", "0f22d8"],
    ["mov eax, dr7", "0f21f8"],
    ["mov dr0, eax", "0f23c0"],
    ["0F 20 00: mod is ignored, so no displacement follows", "0f2000"],
  ])("#GP(0) at CPL 3 for %s", (_source, hex) => {
    expectFault(machineWith(hex, compileThreshold), 13, 0, codeAddress);
  });

  it("segment registers hold the flat selectors: gs reads 0, and only the held selector loads", () => {
    // mov eax, 0x2b / mov ds, ax (8E D8) / mov ecx, gs (8C E9) / mov fs, ax (8E E0): fs holds
    // 0, so 0x2b is refused (#GP(0x28)) although Linux and qemu-i386 would load it.
    const machine = machineWith("b82b0000008ed88ce98ee0", compileThreshold, { 1: -1 });
    expectFault(machine, 13, 0x28, codeAddress + 9);
    expect([machine.cpu.regs[0], machine.cpu.regs[1]]).toEqual([0x2b, 0]);
    expect(machine.cpu.instructions).toBe(3);
  });

  it("pop ds of a selector it does not hold: #GP(selector), esp unchanged (push 0x7b / pop ds)", () => {
    const machine = machineWith("6a7b1f", compileThreshold);
    const espAfterPush = (machine.cpu.regs[4]! - 4) | 0;
    expectFault(machine, 13, 0x78, codeAddress + 2);
    expect(machine.cpu.regs[4]).toBe(espAfterPush);
  });

  it("int 0x80 (CD 80) and int3 (CC) are traps: eip after the instruction", () => {
    const machine = machineWith("cd80cc", compileThreshold);
    expect(machine.cpu.run(1000)).toBe(StopReason.Trap);
    expect([machine.cpu.trapVector, machine.cpu.eip]).toEqual([0x80, codeAddress + 2]);
    expect(machine.cpu.run(1000)).toBe(StopReason.Trap);
    expect([machine.cpu.trapVector, machine.cpu.eip]).toEqual([3, codeAddress + 3]);
    expect(machine.cpu.instructions).toBe(2);
  });

  it("into (CE) traps with vector 4 only when OF = 1", () => {
    const machine = machineWith("cece", compileThreshold);
    machine.cpu.setEflags(0x202);
    machine.cpu.run(1);
    expect(machine.cpu.eip).toBe(codeAddress + 1);
    machine.cpu.setEflags(0xa02);
    expect(machine.cpu.run(1000)).toBe(StopReason.Trap);
    expect([machine.cpu.trapVector, machine.cpu.eip]).toEqual([4, codeAddress + 2]);
  });

  it("#PF reading an unmapped page: error code U (4), CR2 = the address", () => {
    // mov eax, [0x00500000] = A1 00 00 50 00
    const machine = machineWith("a100005000", compileThreshold, { 0: 99 });
    expectFault(machine, 14, 0x4, codeAddress);
    expect(machine.mmu.cr2).toBe(0x500000);
    expect(machine.cpu.regs[0]).toBe(99);
  });

  it("#PF writing a read-only page: error code P|W|U (7)", () => {
    // mov dword [0x00400000], 1 = C7 05 00 00 40 00 01 00 00 00
    const machine = machineWith("c7050000400001000000", compileThreshold);
    expectFault(machine, 14, 0x7, codeAddress);
    expect(machine.mmu.cr2).toBe(0x400000);
  });

  it("#PF on a user access to a supervisor page: error code P|U (5)", () => {
    const machine = machineWith("a100005000", compileThreshold);
    machine.map(0x500000, PTE_P);
    expectFault(machine, 14, 0x5, codeAddress);
  });

  it("#PF pushing onto an unmapped stack leaves esp unchanged (push ebx = 53)", () => {
    const machine = machineWith("53", compileThreshold, { 4: 0x600000 - 0x10000 });
    const before = expectFault(machine, 14, 0x6, codeAddress);
    expect(Array.from(machine.cpu.regs)).toEqual(before);
    expect(machine.mmu.cr2).toBe(0x600000 - 0x10004);
  });

  it("#PF fetching from an unmapped page: error code I|U (0x14), eip = the target", () => {
    // jmp 0x00500000 = E9 FB FF 0F 00
    const machine = machineWith("e9fbff0f00", compileThreshold);
    expectFault(machine, 14, 0x14, 0x500000);
    expect(machine.mmu.cr2).toBe(0x500000);
    expect(machine.cpu.instructions).toBe(1);
  });

  it("16-bit jmp/call (0x66) truncate eip to 16 bits; call pushes a 16-bit return address", () => {
    // jmp word 0x1234 = 66 E9 30 12; call word 0x1234 = 66 E8 30 12
    expectFault(machineWith("66e93012", compileThreshold), 14, 0x14, 0x1234);
    const machine = machineWith("66e83012", compileThreshold);
    expectFault(machine, 14, 0x14, 0x1234);
    expect(machine.cpu.regs[4]).toBe(0x800000 - 2);
    expect(machine.memory.read16(machine.physicalOf(0x800000 - 2))).toBe(0x0004);
  });

  it("#PF for an instruction that continues into an unmapped page: CR2 = that page", () => {
    const machine = machineWith("", compileThreshold);
    const start = codeAddress + 0x2000 - 3;
    machine.poke(start, hexBytes("b8785634")); // mov eax, 0x12345678 cut by the page end
    machine.cpu.eip = start;
    expectFault(machine, 14, 0x14, start);
    expect(machine.mmu.cr2).toBe(codeAddress + 0x2000);
  });

  it("a write straddling a read-only page writes neither page", () => {
    // mov dword [0x00600ffe], 0x11223344 = C7 05 FE 0F 60 00 44 33 22 11
    const machine = machineWith("c705fe0f600044332211", compileThreshold);
    machine.map(0x601000, PTE_P | PTE_US);
    expectFault(machine, 14, 0x7, codeAddress);
    expect(machine.mmu.cr2).toBe(0x601000);
    expect(machine.peek32(0x600ffc)).toBe(0);
  });

  it("rep movsb faulting mid-way keeps the completed iterations and points at itself", () => {
    // rep movsb = F3 A4; the destination runs off the mapped data at 0x604000.
    const machine = machineWith("f3a4", compileThreshold, { 1: 16, 6: 0x600100, 7: 0x603ffa });
    machine.poke(0x600100, hexBytes("0102030405060708090a0b0c0d0e0f10"));
    expectFault(machine, 14, 0x6, codeAddress);
    expect([machine.cpu.regs[1], machine.cpu.regs[6], machine.cpu.regs[7]]).toEqual([
      10, 0x600106, 0x604000,
    ]);
    expect(machine.peek32(0x603ffc)).toBe(0x06050403);
  });

  it("a fault inside a loop is charged to the faulting instruction", () => {
    // mov ecx, 5 / l: add eax, ecx / mov edx, [esi] / add esi, 0x1000 / loop l
    const hex = "b90500000001c88b1681c600100000e2f4";
    const machine = machineWith(hex, compileThreshold, { 0: 0, 6: 0x602000 });
    expectFault(machine, 14, 0x4, codeAddress + 7);
    expect(machine.mmu.cr2).toBe(0x604000);
    expect([machine.cpu.regs[0], machine.cpu.regs[1]]).toEqual([12, 3]);
    expect(machine.cpu.instructions).toBe(10);
    expect(machine.cpu.recentEips(3)).toEqual([
      codeAddress + 0xf,
      codeAddress + 5,
      codeAddress + 7,
    ]);
  });
});
