// The microkernel's first piece: one node's kernel running on a Machine. It loads a program
// into a process, then repeatedly resumes the CPU and handles why it stopped (syscall trap,
// exception, timer interrupt). It runs a single process; the process table, scheduler and
// IPC of later issues plug in where `current` is chosen and where the timer tick is handled.

import type { ConsoleChannel } from "../vm/devices/console.ts";
import { type Machine, MachineStop } from "../vm/machine.ts";
import { kernelCosts } from "./cost-table.ts";
import { handleException, handleStrayTrap } from "./faults/exception-handler.ts";
import { type FaultReport, Signal } from "./faults/fault-report.ts";
import { parseElf } from "./loader/elf.ts";
import { LoadError } from "./loader/load-error.ts";
import { loadProgram } from "./loader/load-program.ts";
import { FrameAllocator } from "./memory/frame-allocator.ts";
import { LocalPidAllocator } from "./process/pid.ts";
import { Process, ProcessState } from "./process/process.ts";
import { dispatchSyscall } from "./syscalls/syscall-table.ts";

export interface KernelOptions {
  /** This node's number, the high bits of every pid it creates; default 0. */
  homeNode?: number;
  /** Supplies up to `maxBytes` of input for read(0); an empty array means end of input. */
  readInput?: (maxBytes: number) => Uint8Array;
  /** Receives console output as soon as a process writes it. */
  onOutput?: (channel: ConsoleChannel, bytes: Uint8Array) => void;
  /** How many recent eips to put in a fault report; default none. */
  recentEipsOnFault?: number;
}

/** The interval of the timer tick (the later scheduler's time slice): 10 ms. */
export const tickIntervalNs = 10_000_000;
/** The syscall vector of ABI v1. */
export const syscallVector = 0x80;
/** The most cycles one `machine.run` may take before the kernel looks again. */
const runBudgetCyclesMax = 1e8;

/** EFLAGS at process start, as Linux sets them: IF and the always-one bit 1. */
const initialEflags = 0x202;
/** Index of esp in `cpu.regs`. */
const esp = 4;

export class Kernel {
  readonly frames: FrameAllocator;
  /** The process on the CPU, or undefined once it has ended. */
  current: Process | undefined;
  private readonly pids: LocalPidAllocator;
  private readonly options: KernelOptions;

  constructor(
    readonly machine: Machine,
    options: KernelOptions = {},
  ) {
    this.options = options;
    this.pids = new LocalPidAllocator(options.homeNode ?? 0);
    this.frames = new FrameAllocator(machine.memoryBytes);
    machine.timer.arm(machine.cyclesFromNs(tickIntervalNs), machine.cycles);
  }

  /** Loads an ELF executable into a new process and puts it on the CPU. Throws LoadError. */
  exec(image: Uint8Array, argv: readonly string[]): Process {
    if (this.current) throw new LoadError("this kernel runs one process at a time");
    const elf = parseElf(image);
    const pid = this.pids.allocate(() => false);
    if (pid === undefined) throw new LoadError("no process id left on this node");
    const program = loadProgram(this.machine, this.frames, elf, image, argv);
    const process = new Process(
      pid,
      program.addressSpace,
      program.brkStartAddress,
      program.imagePageCount,
      program.stackPageCount,
    );
    this.machine.chargeCycles(kernelCosts.processCreateCycles);
    const cpu = this.machine.cpu;
    program.addressSpace.activate();
    cpu.regs.fill(0);
    cpu.regs[esp] = program.stackPointer;
    cpu.eip = program.entryAddress;
    cpu.setEflags(initialEflags);
    process.state = ProcessState.Running;
    this.current = process;
    return process;
  }

  /**
   * Runs until the current process ends, the machine is halted, or the CPU has retired
   * `instructionsMax` instructions in total (the process is then killed with SIGKILL).
   */
  run(instructionsMax = Number.POSITIVE_INFINITY): void {
    const machine = this.machine;
    for (;;) {
      const process = this.current;
      if (!process?.isAlive) return;
      const instructionsLeft = instructionsMax - machine.cpu.instructions;
      if (instructionsLeft <= 0) {
        process.instructionLimitReached = true;
        this.killProcess(process, Signal.SIGKILL, undefined);
        return;
      }
      if (machine.mmu.cr3 !== process.addressSpace.pageDirectoryAddress) {
        throw new Error(`kernel bug: process ${process.pid} would run in another address space`);
      }
      // Every instruction costs at least a cycle, so this budget cannot overrun the limit.
      const stop = machine.run(Math.min(runBudgetCyclesMax, instructionsLeft));
      switch (stop) {
        case MachineStop.Trap:
          this.handleTrap(process);
          break;
        case MachineStop.Exception:
          handleException(this, process);
          break;
        case MachineStop.Interrupt:
          this.handleInterrupt();
          break;
        case MachineStop.Halt:
          return;
        case MachineStop.Budget:
          break;
      }
    }
  }

  private handleTrap(process: Process): void {
    const vector = this.machine.cpu.trapVector;
    if (vector !== syscallVector) {
      handleStrayTrap(this, process, vector);
      return;
    }
    this.machine.chargeCycles(kernelCosts.syscallCycles);
    dispatchSyscall(this, process);
  }

  /** The timer tick: acknowledged; with one process there is nothing to reschedule. */
  private handleInterrupt(): void {
    const machine = this.machine;
    machine.chargeCycles(kernelCosts.interruptCycles);
    machine.timer.acknowledge(machine.cycles);
  }

  /** Input for read(0): up to `maxBytes`, empty at end of input. */
  readInput(maxBytes: number): Uint8Array {
    const input = this.options.readInput?.(maxBytes) ?? new Uint8Array(0);
    return input.length > maxBytes ? input.subarray(0, maxBytes) : input;
  }

  /** Puts bytes on the console and passes them on at once; returns how many were taken. */
  writeConsole(channel: ConsoleChannel, bytes: Uint8Array): number {
    const console = this.machine.console;
    const acceptedBytes = console.write(channel, bytes);
    if (this.options.onOutput) this.options.onOutput(channel, console.drain(channel));
    return acceptedBytes;
  }

  exitProcess(process: Process, status: number): void {
    process.exitStatus = status;
    this.endProcess(process);
  }

  /** Ends a process as killed by `signal` (status 128 + signal), with the fault if any. */
  killProcess(process: Process, signal: number, fault: FaultReport | undefined): void {
    const recentCount = this.options.recentEipsOnFault ?? 0;
    if (fault && recentCount > 0) fault.lastEips = this.machine.cpu.recentEips(recentCount);
    process.fault = fault;
    process.exitStatus = 128 + signal;
    this.endProcess(process);
  }

  private endProcess(process: Process): void {
    process.state = ProcessState.Exited;
    process.addressSpace.destroy();
    if (this.current === process) this.current = undefined;
  }
}
