// One node's hardware: physical memory, MMU, CPU, interval timer, console and NIC, and the
// run contract between them and a kernel. `run` hands the CPU a budget that ends no later
// than the next device event, so the CPU loop never looks at devices and nothing calls back
// into the kernel from inside it. IRQ lines are level-triggered: a line stays raised until the
// kernel acknowledges the device (e.g. `timer.acknowledge`, `nic.acknowledge`). Virtual time
// is the cycle count at `clockHz`. A NIC event scheduled at t ns is due at cycle
// ceil(t * clockHz / 1e9) and moved into the NIC at the first run boundary at or after it
// (when `run` starts or stops, or `pendingIrqMask` is asked). Left out: DMA, interrupt
// priorities.

import { Cpu, type CpuState } from "./cpu/cpu.ts";
import { StopReason } from "./cpu/stop-reason.ts";
import { Console, type ConsoleState } from "./devices/console.ts";
import { Nic, type NicState, nicIrqBits } from "./devices/nic.ts";
import { Timer, type TimerState } from "./devices/timer.ts";
import { ClockRatio } from "./machine/clock-ratio.ts";
import type { DeviceDescriptor } from "./machine/device-descriptor.ts";
import { MachineStop } from "./machine/machine-stop.ts";
import { PhysicalMemory, type PhysicalMemoryState } from "./memory/physical-memory.ts";
import { Mmu, type MmuState } from "./mmu/mmu.ts";

export { MachineStop } from "./machine/machine-stop.ts";

export interface MachineConfig {
  /** Guest physical memory; default and limits as PhysicalMemory's. */
  memoryBytes?: number;
  /** Cycles per second of virtual time; default 100 MHz. */
  clockHz?: number;
  /** This machine's node number, which names its NIC's MAC address; default 0. */
  node?: number;
  /** The NIC's receive ring, in frames (default 64, at most 4096). */
  nicRxRingFrames?: number;
  /** The NIC's transmit queue, in frames (default 64, at most 4096). */
  nicTxQueueFrames?: number;
  /** The CPU's compile threshold (CpuOptions); tests lower it to exercise compiled code. */
  compileThreshold?: number;
}

export const defaultClockHz = 100e6;

export interface MachineState {
  clockHz: number;
  memory: PhysicalMemoryState;
  mmu: MmuState;
  cpu: CpuState;
  timer: TimerState;
  console: ConsoleState;
  nic: NicState;
  irqEnabledMask: number;
  haltRequested: boolean;
}

const timerIrqBit = 1;

export class Machine {
  readonly clockHz: number;
  private readonly clock: ClockRatio;
  readonly memoryBytes: number;
  readonly memory: PhysicalMemory;
  readonly mmu: Mmu;
  readonly cpu: Cpu;
  readonly timer = new Timer();
  readonly console = new Console();
  readonly nic: Nic;
  /** IRQ lines the kernel accepts; a raised line outside the mask never stops `run`. */
  irqEnabledMask = 0xffffffff;
  private haltRequested = false;

  constructor(config: MachineConfig = {}) {
    this.memory = new PhysicalMemory(config.memoryBytes);
    this.memoryBytes = this.memory.sizeBytes;
    this.clockHz = config.clockHz ?? defaultClockHz;
    this.clock = new ClockRatio(this.clockHz);
    this.mmu = new Mmu(this.memory);
    this.cpu = new Cpu(this.mmu, this.memory, { compileThreshold: config.compileThreshold });
    this.nic = new Nic(config.node ?? 0, {
      rxRingFrames: config.nicRxRingFrames,
      txQueueFrames: config.nicTxQueueFrames,
    });
  }

  /** The devices on this machine, for a kernel to discover. */
  get devices(): readonly DeviceDescriptor[] {
    return [this.timer.descriptor, this.console.descriptor, this.nic.descriptor];
  }

  /** Machine time in cycles: guest instructions plus kernel work charged with `chargeCycles`. */
  get cycles(): number {
    return this.cpu.cycles;
  }

  /** Virtual time in whole nanoseconds: the last nanosecond whose cycle has come. */
  nowNs(): number {
    return this.clock.nsAtCycle(this.cpu.cycles);
  }

  /** The whole nanosecond at or before cycle `cycles`. */
  nsAtCycle(cycles: number): number {
    return this.clock.nsAtCycle(cycles);
  }

  /** The first cycle at or after `ns` nanoseconds. */
  cyclesFromNs(ns: number): number {
    return this.clock.cyclesAtNs(ns);
  }

  /** Adds kernel work to machine time, so it shows in virtual time like guest work. */
  chargeCycles(cycles: number): void {
    this.cpu.cycles += cycles;
  }

  /** A bit per raised IRQ line (bit n = IRQ n), whether enabled or not. */
  pendingIrqMask(): number {
    this.moveDueNicEventsIn();
    const timerBit = this.timer.cyclesUntilDue(this.cpu.cycles) === 0 ? timerIrqBit : 0;
    return timerBit | this.nic.raisedIrqMask();
  }

  /** Moves every NIC event due at or before the current cycle into the NIC. */
  private moveDueNicEventsIn(): void {
    while (this.cyclesFromNs(this.nic.nextEventNs()) <= this.cpu.cycles) this.nic.deliverNext();
  }

  /** Makes the next `run` return Halt before executing anything. */
  requestHalt(): void {
    this.haltRequested = true;
  }

  /**
   * Runs the guest until a trap, an exception, an enabled interrupt, a halt request or
   * `budgetCycles` cycles; returns which. An interrupt already pending returns at once.
   */
  run(budgetCycles: number): MachineStop {
    if (this.haltRequested) {
      this.haltRequested = false;
      return MachineStop.Halt;
    }
    if (this.pendingIrqMask() & this.irqEnabledMask) return MachineStop.Interrupt;
    const cpuBudgetCycles = Math.min(budgetCycles, this.cyclesToNextEvent());
    if (!(cpuBudgetCycles > 0)) return MachineStop.Budget;
    const reason = this.cpu.run(cpuBudgetCycles);
    switch (reason) {
      case StopReason.Trap:
        return MachineStop.Trap;
      case StopReason.Exception:
        return MachineStop.Exception;
      default:
        return this.pendingIrqMask() & this.irqEnabledMask
          ? MachineStop.Interrupt
          : MachineStop.Budget;
    }
  }

  /** Cycles until the earliest enabled device event (Infinity when none is scheduled). */
  cyclesToNextEvent(): number {
    const timerCycles =
      this.irqEnabledMask & timerIrqBit
        ? this.timer.cyclesUntilDue(this.cpu.cycles)
        : Number.POSITIVE_INFINITY;
    if (!(this.irqEnabledMask & nicIrqBits)) return timerCycles;
    const nicCycles = Math.max(0, this.cyclesFromNs(this.nic.nextEventNs()) - this.cpu.cycles);
    return Math.min(timerCycles, nicCycles);
  }

  /**
   * For a kernel with nothing to run: skips virtual time ahead to the next device event.
   * Returns the cycles skipped; 0 when an event is already due, Infinity when none will come.
   */
  idleUntilNextEvent(): number {
    const skippedCycles = this.cyclesToNextEvent();
    if (Number.isFinite(skippedCycles)) this.cpu.cycles += skippedCycles;
    return skippedCycles;
  }

  getState(): MachineState {
    return {
      clockHz: this.clockHz,
      memory: this.memory.getState(),
      mmu: this.mmu.getState(),
      cpu: this.cpu.getState(),
      timer: this.timer.getState(),
      console: this.console.getState(),
      nic: this.nic.getState(),
      irqEnabledMask: this.irqEnabledMask,
      haltRequested: this.haltRequested,
    };
  }

  /** Restores a state taken from a machine with the same memory size, clock, node and NIC sizes. */
  setState(state: MachineState): void {
    if (state.clockHz !== this.clockHz) {
      throw new RangeError(
        `state is for a ${state.clockHz} Hz machine, this one runs at ${this.clockHz} Hz`,
      );
    }
    this.nic.setState(state.nic);
    this.memory.setState(state.memory);
    this.mmu.setState(state.mmu);
    this.cpu.setState(state.cpu);
    this.cpu.flushDecodeCache();
    this.timer.setState(state.timer);
    this.console.setState(state.console);
    this.irqEnabledMask = state.irqEnabledMask;
    this.haltRequested = state.haltRequested;
  }
}
