// The run contract: Machine.run stops for a trap, an exception, a due timer interrupt, a halt
// request or the spent budget, and says which; virtual time is cycles at clockHz and jumps to
// the next event when idle; getState/setState replays execution exactly. Guest code is raw
// bytes with encodings from the Intel SDM vol. 2 (40 = inc eax, EB cb = jmp rel8, CD ib =
// int imm8, 0F 0B = ud2, F4 = hlt), mapped by page tables built here by hand.

import { describe, expect, it } from "vitest";
import { Machine, MachineStop } from "../../../vm/machine.ts";
import { PTE_P, PTE_RW, PTE_US } from "../../../vm/mmu/page-table-entry.ts";

const pageDirectoryAddress = 0x1000;
const pageTableAddress = 0x2000;
const codeFrameAddress = 0x3000;
/** Linear address of the code page: directory slot 1, table slot 0. */
const codeAddress = 0x00400000;

const incEaxLoop = [0x40, 0xeb, 0xfd];
const syscallTrap = [0xcd, 0x80];
const ud2 = [0x0f, 0x0b];

function machineRunning(code: number[], clockHz?: number): Machine {
  const machine = new Machine({ memoryBytes: 1 << 20, clockHz });
  const memory = machine.memory;
  memory.write32(pageDirectoryAddress + 4, pageTableAddress | PTE_P | PTE_RW | PTE_US);
  memory.write32(pageTableAddress, codeFrameAddress | PTE_P | PTE_RW | PTE_US);
  memory.writeBytes(codeFrameAddress, Uint8Array.from(code));
  machine.mmu.setCr3(pageDirectoryAddress);
  machine.cpu.eip = codeAddress;
  return machine;
}

/** The most cycles one instruction of these programs can take (a taken jmp). */
const instructionCyclesMax = 8;

describe("Machine.run", () => {
  it("returns Budget after about the budget when no device is due", () => {
    const machine = machineRunning(incEaxLoop);
    expect(machine.run(1000)).toBe(MachineStop.Budget);
    expect(machine.cycles).toBeGreaterThanOrEqual(1000);
    expect(machine.cycles).toBeLessThan(1000 + instructionCyclesMax);
    expect(machine.cpu.regs[0]).toBeGreaterThan(0);
  });

  it("returns Interrupt when the timer comes due, and keeps returning it until acknowledged", () => {
    const machine = machineRunning(incEaxLoop);
    machine.timer.arm(5000, machine.cycles);
    expect(machine.run(1e6)).toBe(MachineStop.Interrupt);
    expect(machine.cycles).toBeGreaterThanOrEqual(5000);
    expect(machine.cycles).toBeLessThan(5000 + instructionCyclesMax);
    expect(machine.pendingIrqMask()).toBe(1);
    const cyclesAtInterrupt = machine.cycles;
    expect(machine.run(1e6)).toBe(MachineStop.Interrupt);
    expect(machine.cycles).toBe(cyclesAtInterrupt);
    expect(machine.timer.acknowledge(machine.cycles)).toBe(1);
    expect(machine.pendingIrqMask()).toBe(0);
    expect(machine.run(1e6)).toBe(MachineStop.Interrupt);
    expect(machine.cycles).toBeGreaterThanOrEqual(10_000);
  });

  it("ignores a raised line outside irqEnabledMask", () => {
    const machine = machineRunning(incEaxLoop);
    machine.timer.arm(100, 0);
    machine.irqEnabledMask = 0;
    expect(machine.run(1000)).toBe(MachineStop.Budget);
    expect(machine.pendingIrqMask()).toBe(1);
  });

  it("returns Trap for int 0x80 with eip after the instruction", () => {
    const machine = machineRunning(syscallTrap);
    expect(machine.run(1e6)).toBe(MachineStop.Trap);
    expect(machine.cpu.trapVector).toBe(0x80);
    expect(machine.cpu.eip).toBe(codeAddress + 2);
  });

  it("returns Exception for ud2 (#UD) and hlt at CPL 3 (#GP), eip at the instruction", () => {
    const machine = machineRunning(ud2);
    expect(machine.run(1e6)).toBe(MachineStop.Exception);
    expect(machine.cpu.exceptionVector).toBe(6);
    expect(machine.cpu.eip).toBe(codeAddress);
    const halting = machineRunning([0xf4]);
    expect(halting.run(1e6)).toBe(MachineStop.Exception);
    expect(halting.cpu.exceptionVector).toBe(13);
    expect(halting.cpu.exceptionErrorCode).toBe(0);
  });

  it("returns Exception #PF when code runs off its only page", () => {
    const machine = machineRunning([0xeb, 0x7f]);
    machine.cpu.eip = codeAddress + 0xf80;
    expect(machine.run(1e6)).toBe(MachineStop.Exception);
    expect(machine.cpu.exceptionVector).toBe(14);
  });

  it("returns Halt on request, before executing anything, then runs again", () => {
    const machine = machineRunning(incEaxLoop);
    machine.requestHalt();
    expect(machine.run(1000)).toBe(MachineStop.Halt);
    expect(machine.cpu.instructions).toBe(0);
    expect(machine.run(1000)).toBe(MachineStop.Budget);
  });
});

describe("Machine virtual time", () => {
  it("counts nanoseconds from cycles at clockHz", () => {
    const machine = machineRunning(incEaxLoop, 50e6);
    machine.chargeCycles(1234);
    expect(machine.cycles).toBe(1234);
    expect(machine.nowNs()).toBe(1234 * 20);
    expect(machine.cyclesFromNs(1000)).toBe(50);
  });

  it("skips ahead to the next timer tick when idle", () => {
    const machine = machineRunning(incEaxLoop);
    machine.timer.arm(2000, 0);
    expect(machine.idleUntilNextEvent()).toBe(2000);
    expect(machine.cycles).toBe(2000);
    expect(machine.nowNs()).toBe(20_000);
    expect(machine.run(1e6)).toBe(MachineStop.Interrupt);
    expect(machine.cpu.instructions).toBe(0);
  });

  it("has no event to skip to without the timer", () => {
    const machine = machineRunning(incEaxLoop);
    expect(machine.idleUntilNextEvent()).toBe(Number.POSITIVE_INFINITY);
    expect(machine.cycles).toBe(0);
  });

  it("lets kernel work bring the next tick closer", () => {
    const machine = machineRunning(incEaxLoop);
    machine.timer.arm(1000, 0);
    machine.chargeCycles(999);
    expect(machine.cyclesToNextEvent()).toBe(1);
  });
});

describe("Machine state", () => {
  it("replays exactly from a saved state", () => {
    const machine = machineRunning(incEaxLoop);
    machine.timer.arm(700, 0);
    const runFor = (m: Machine) => {
      for (let i = 0; i < 10; i++) {
        if (m.run(300) === MachineStop.Interrupt) m.timer.acknowledge(m.cycles);
      }
    };
    runFor(machine);
    const saved = machine.getState();
    runFor(machine);
    const after = machine.getState();
    const copy = new Machine({ memoryBytes: 1 << 20 });
    copy.setState(saved);
    runFor(copy);
    const { memory: copyMemory, ...copyRest } = copy.getState();
    const { memory: afterMemory, ...afterRest } = after;
    expect(copyRest).toEqual(afterRest);
    // Compared as one buffer: a deep comparison of a megabyte is needlessly slow.
    expect(Buffer.from(copyMemory.bytes).equals(afterMemory.bytes)).toBe(true);
    expect(copy.cpu.regs[0]).toBeGreaterThan(0);
  });

  it("refuses a state from a machine with another clock or memory size", () => {
    const state = machineRunning(incEaxLoop).getState();
    expect(() => new Machine({ memoryBytes: 1 << 20, clockHz: 1e6 }).setState(state)).toThrow(
      RangeError,
    );
    expect(() => new Machine({ memoryBytes: 2 << 20 }).setState(state)).toThrow(RangeError);
  });

  it("refuses a bad configuration", () => {
    expect(() => new Machine({ memoryBytes: 1000 })).toThrow(RangeError);
    expect(() => new Machine({ clockHz: 0 })).toThrow(RangeError);
  });

  it("lists its devices", () => {
    expect(machineRunning(incEaxLoop).devices.map((d) => [d.name, d.irq])).toEqual([
      ["timer", 0],
      ["console", -1],
      ["nic", 1],
    ]);
  });
});
