// One node's microkernel on a Machine (docs/kernel.md). It keeps the process table, runs the
// ready processes by preemptive priority round robin, and repeatedly resumes the CPU and
// handles why it stopped: a syscall trap, an exception, the timer tick (time slice, load
// sample), or the end of a run budget. When nothing is ready the idle process "runs": the
// machine skips ahead to its next event (a tick or a wake-up). Kernel work is charged to the
// machine's cycles through the cost table. Other nodes are kernel/net's business: a node in
// a cluster gets a NodeNetwork (attachNetwork), and this file only dispatches into it (the NIC
// interrupt, the network's timers, a process's end). `runUntil(ns)` is what the cluster's
// driver calls once per quantum of virtual time. Migration is kernel/migrate's: this file only
// freezes a process, puts a moved one back on its way, and adds or drops one whole.

import type { ConsoleChannel } from "../vm/devices/console.ts";
import { type Machine, MachineStop } from "../vm/machine.ts";
import { kernelCosts } from "./cost-table.ts";
import { Errno } from "./errno.ts";
import { faultReason, instructionLimitReason, killedByReason } from "./faults/end-reasons.ts";
import { handleException, handleStrayTrap } from "./faults/exception-handler.ts";
import { describeFault, type FaultReport, Signal } from "./faults/fault-report.ts";
import { baseName, type FileStore } from "./files/file-store.ts";
import { filterAccepts } from "./ipc/mailbox.ts";
import { loadWindowSamples, processMemoryBytesMax } from "./limits.ts";
import { LoadSampler, type LoadSnapshot } from "./load/load-sampler.ts";
import { parseElf } from "./loader/elf.ts";
import { LoadError } from "./loader/load-error.ts";
import { loadProgram } from "./loader/load-program.ts";
import { FrameAllocator } from "./memory/frame-allocator.ts";
import type { NodeNetwork } from "./net/node-network.ts";
import { formatPid, LocalPidAllocator, type Pid, pidNone } from "./process/pid.ts";
import { Process, ProcessState, processStateNames, ResumeAction } from "./process/process.ts";
import { ProcessTable } from "./process/process-table.ts";
import { Reg } from "./process/saved-context.ts";
import { PriorityRoundRobin, priorityDefault } from "./scheduler/priority-round-robin.ts";
import { TimeSlice, timeSliceCyclesDefault } from "./scheduler/time-slice.ts";
import { dispatchSyscall } from "./syscalls/syscall-table.ts";
import { TimerQueue } from "./time/timer-queue.ts";
import type { TraceLog } from "./trace/trace-log.ts";

export interface KernelOptions {
  /** This node's number, the high bits of every pid it creates; default 0. */
  homeNode?: number;
  /** How many times this node restarted after a crash: its PIDs' epoch (process/pid.ts); default 0. */
  epoch?: number;
  /** Nodes in the cluster, what nodeinfo reports; default 1. */
  nodeCount?: number;
  /**
   * Supplies up to `maxBytes` of input for read(0); an empty array means end of input, a
   * negative number is the -errno the host's read failed with (read returns it).
   */
  readInput?: (maxBytes: number) => Uint8Array | number;
  /**
   * Receives console output as soon as a process (`pid`) writes it. A negative number
   * returned is the -errno the host's write failed with (-ENOSPC, -EPIPE, -EIO), which write
   * returns; any other value is ignored.
   */
  onOutput?: (channel: ConsoleChannel, bytes: Uint8Array, pid: Pid) => unknown;
  /** Receives one-line kernel reports: faults and kills. */
  onReport?: (line: string) => void;
  /** Called once for every process when it ends (whoever collects its status). */
  onProcessEnd?: (process: Process) => void;
  /** How many recent eips to put in a fault report; default none. */
  recentEipsOnFault?: number;
  /** Program images spawn may load, by base name. */
  files?: FileStore;
  /** The time slice in machine cycles; default timeSliceCyclesDefault (10 ms at 100 MHz). */
  timeSliceCycles?: number;
  /** Process table size (zombies included); default processesPerNodeMax. */
  processesMax?: number;
  /** The most memory one process may hold; default processMemoryBytesMax (limits.ts). */
  processMemoryBytesMax?: number;
  trace?: TraceLog;
  /**
   * In a cluster a node with nothing to run keeps passing time to `runUntil`'s limit (a frame
   * may arrive); alone it returns "no-work" at once. Default false.
   */
  idleUntilLimit?: boolean;
}

/**
 * Why `runUntil` returned: the node's time reached the limit; nothing is ready and no
 * wake-up is pending (only a message from another node could change that); the machine
 * was asked to halt; or the instruction limit of `run` was reached.
 */
export type RunOutcome = "time-reached" | "no-work" | "halted" | "instruction-limit";

/** What a process was doing when a migration froze it (kernel.freezeProcess). */
export interface FrozenFacts {
  state: ProcessState;
  /** Its wake-up's virtual time, or -1 for none. */
  wakeAtNs: number;
}

/** The interval of the timer tick: 10 ms. */
export const tickIntervalNs = 10_000_000;
/** The syscall vector of ABI v1. */
export const syscallVector = 0x80;
/** The most cycles one `machine.run` may take before the kernel looks again. */
const runBudgetCyclesMax = 1e8;
/** IRQ 0, the timer: every other line belongs to the NIC (kernel/net). */
const timerIrqBit = 1;

export class Kernel {
  readonly frames: FrameAllocator;
  readonly homeNode: number;
  /** The most memory one process may hold (KernelOptions.processMemoryBytesMax). */
  readonly processMemoryBytesMax: number;
  readonly nodeCount: number;
  readonly processes: ProcessTable;
  readonly scheduler = new PriorityRoundRobin();
  readonly slice: TimeSlice;
  readonly sampler = new LoadSampler();
  /** Wake-ups (sleep ends, receive timeouts), each carrying the PID to wake. */
  readonly wakeups = new TimerQueue<Pid>();
  readonly files: FileStore | undefined;
  readonly trace: TraceLog | undefined;
  /** The process on the CPU, or undefined while the idle process runs. */
  current: Process | undefined;
  /** Live processes (zombies excluded), kept as a count so a tick allocates nothing. */
  liveCount = 0;
  /** Live processes descending from a --run process: while any lives, the run goes on. */
  liveJobCount = 0;
  /** The node's Starter (docs/migration.md), the only caller of 1008-1011; pidNone: none. */
  starterPid: Pid = pidNone;
  /** The node's part of the cluster; undefined for a machine alone (sterna exec). */
  net: NodeNetwork | undefined;
  /** Cycles charged for load sampling, ever (the sampling benchmark reads it). */
  samplingCycles = 0;
  contextSwitches = 0;
  private readonly pids: LocalPidAllocator;
  private readonly options: KernelOptions;
  /** The process whose address space is in CR3, so a switch back to it costs nothing. */
  private loadedPid: Pid = pidNone;
  /** Machine cycles when the current process was put on the CPU (its CPU time). */
  private dispatchedAtCycles = 0;
  /** Machine cycles already charged to the current slice. */
  private slicedAtCycles = 0;
  private endedCount = 0;
  private instructionsMax = Number.POSITIVE_INFINITY;

  constructor(
    readonly machine: Machine,
    options: KernelOptions = {},
  ) {
    this.options = options;
    this.homeNode = options.homeNode ?? 0;
    this.nodeCount = options.nodeCount ?? 1;
    this.pids = new LocalPidAllocator(this.homeNode, options.epoch ?? 0);
    this.processes = new ProcessTable(options.processesMax);
    this.slice = new TimeSlice(options.timeSliceCycles ?? timeSliceCyclesDefault);
    this.files = options.files;
    this.processMemoryBytesMax = options.processMemoryBytesMax ?? processMemoryBytesMax;
    this.trace = options.trace;
    this.frames = new FrameAllocator(machine.memoryBytes);
    machine.irqEnabledMask = timerIrqBit;
    machine.timer.arm(machine.cyclesFromNs(tickIntervalNs), machine.cycles);
  }

  /** Joins the node to the cluster: NIC interrupts and the network's timers come to `net`. */
  attachNetwork(net: NodeNetwork): void {
    this.net = net;
    this.machine.irqEnabledMask = 0xffffffff;
  }

  /** Virtual time in whole nanoseconds: the last ns whose cycle has come (Machine.nowNs). */
  nowNs(): number {
    return this.machine.nowNs();
  }

  traceEvent(event: string, fields?: Record<string, number | string | boolean>): void {
    this.trace?.record(this.nowNs(), event, fields);
  }

  /**
   * Loads an ELF executable into a new process whose parent is the kernel and, if the CPU is
   * free, puts it on the CPU at once. Throws LoadError (the command line's programs).
   */
  exec(image: Uint8Array, argv: readonly string[]): Process {
    const created = this.createProcess(image, argv, pidNone);
    if (typeof created === "string") throw new LoadError(created);
    if (!this.current) this.dispatchNext();
    return created;
  }

  /**
   * Builds a ready process from an image. Returns the process, or a reason it could not be
   * made: a message for exec, mapped to an errno by spawn (see spawnErrno).
   */
  createProcess(
    image: Uint8Array,
    argv: readonly string[],
    parentPid: Pid,
    inJob = false,
  ): Process | string {
    if (this.processes.isFull) return "process table full";
    // A PID of a process that migrated away is still in use: its home keeps its location.
    const pid = this.pids.allocate(
      (candidate) => this.processes.has(candidate) || (this.net?.isPidAway(candidate) ?? false),
    );
    if (pid === undefined) return "process table full: no process id left on this node";
    const elf = parseElf(image);
    const program = loadProgram(
      this.machine,
      this.frames,
      elf,
      image,
      argv,
      this.processMemoryBytesMax,
    );
    const process = new Process(
      pid,
      baseName(argv[0] ?? "?"),
      program.addressSpace,
      program.brkStartAddress,
      program.imagePageCount,
      program.stackPageCount,
      parentPid === pidNone
        ? priorityDefault
        : (this.processes.get(parentPid)?.priority ?? priorityDefault),
    );
    process.parentPid = parentPid;
    process.inJob = inJob;
    process.memoryBytesMax = this.processMemoryBytesMax;
    process.bornAtNs = this.nowNs();
    process.context.regs[Reg.esp] = program.stackPointer;
    process.context.eip = program.entryAddress;
    this.machine.chargeCycles(kernelCosts.processCreateCycles);
    this.processes.add(process);
    this.liveCount++;
    if (inJob) this.liveJobCount++;
    this.scheduler.makeReady(pid, process.priority);
    this.traceEvent("spawn", {
      pid: formatPid(pid),
      parent: formatPid(parentPid),
      name: process.name,
    });
    return process;
  }

  /**
   * Runs until every process has ended or the CPU has retired `instructionsMax` instructions
   * in total (the live processes are then killed with SIGKILL). What `sterna exec` uses.
   */
  run(instructionsMax = Number.POSITIVE_INFINITY): RunOutcome {
    this.instructionsMax = instructionsMax;
    try {
      return this.runUntil(Number.POSITIVE_INFINITY);
    } finally {
      this.instructionsMax = Number.POSITIVE_INFINITY;
    }
  }

  /**
   * Runs the node until its virtual time reaches `untilNs`, or it has no work (see
   * RunOutcome). Never runs the machine past `untilNs`, the next wake-up or the slice's end.
   */
  runUntil(untilNs: number): RunOutcome {
    const machine = this.machine;
    const untilCycles = Number.isFinite(untilNs)
      ? machine.cyclesFromNs(untilNs)
      : Number.POSITIVE_INFINITY;
    for (;;) {
      if (machine.cycles >= untilCycles) return "time-reached";
      this.fireDueWakeups();
      if (machine.pendingIrqMask() & machine.irqEnabledMask) {
        this.handleInterrupts();
        continue;
      }
      if (!this.current && !this.dispatchNext()) {
        const nextCycles = Math.min(
          machine.cycles + machine.cyclesToNextEvent(),
          this.nextWakeupCycles(),
          untilCycles,
        );
        if (
          !this.options.idleUntilLimit &&
          this.scheduler.readyCount === 0 &&
          this.wakeups.size === 0
        ) {
          return "no-work";
        }
        this.idleFor(nextCycles - machine.cycles);
        continue;
      }
      const process = this.current;
      if (!process) continue;
      if (machine.cpu.instructions >= this.instructionsMax) {
        this.killForInstructionLimit();
        return "instruction-limit";
      }
      const stop = this.runCurrent(process, untilCycles);
      if (stop === MachineStop.Halt) return "halted";
      this.afterStop();
    }
  }

  /** Passes virtual time with nothing to run, up to `untilNs`, recording the idle ticks. */
  idleUntil(untilNs: number): void {
    const machine = this.machine;
    const untilCycles = machine.cyclesFromNs(untilNs);
    while (machine.cycles < untilCycles && !this.current && this.scheduler.readyCount === 0) {
      this.fireDueWakeups();
      if (machine.pendingIrqMask() & machine.irqEnabledMask) {
        this.handleInterrupts();
        continue;
      }
      if (this.scheduler.readyCount > 0) return;
      const nextCycles = Math.min(
        machine.cycles + machine.cyclesToNextEvent(),
        this.nextWakeupCycles(),
        untilCycles,
      );
      this.idleFor(nextCycles - machine.cycles);
    }
  }

  /** When this node next has something to do by itself: a tick, a wake-up, a network timer. */
  nextEventNs(): number {
    const machine = this.machine;
    const cycles = Math.min(machine.cycles + machine.cyclesToNextEvent(), this.nextWakeupCycles());
    // Rounded down, so a node is left idle past a quantum's end only if its event lies beyond.
    return Number.isFinite(cycles) ? machine.nsAtCycle(cycles) : Number.POSITIVE_INFINITY;
  }

  private idleFor(cycles: number): void {
    if (cycles > 0) this.machine.chargeCycles(cycles);
  }

  /** The next process wake-up or network timer, in machine cycles. */
  private nextWakeupCycles(): number {
    const dueNs = Math.min(
      this.wakeups.nextDueNs() ?? Number.POSITIVE_INFINITY,
      this.net ? this.net.nextTimerNs() : Number.POSITIVE_INFINITY,
    );
    return Number.isFinite(dueNs) ? this.machine.cyclesFromNs(dueNs) : Number.POSITIVE_INFINITY;
  }

  private runCurrent(process: Process, untilCycles: number): MachineStop {
    const machine = this.machine;
    if (machine.mmu.cr3 !== process.addressSpace.pageDirectoryAddress) {
      throw new Error(`kernel bug: process ${process.pid} would run in another address space`);
    }
    const now = machine.cycles;
    // Every instruction costs at least a cycle, so the instruction limit cannot be overrun.
    const budgetCycles = Math.min(
      runBudgetCyclesMax,
      this.slice.remainingCycles,
      this.nextWakeupCycles() - now,
      untilCycles - now,
      this.instructionsMax - machine.cpu.instructions,
    );
    const stop = budgetCycles > 0 ? machine.run(budgetCycles) : MachineStop.Budget;
    switch (stop) {
      case MachineStop.Trap:
        this.handleTrap(process);
        break;
      case MachineStop.Exception:
        handleException(this, process);
        break;
      case MachineStop.Interrupt:
        this.handleInterrupts();
        break;
      default:
        break;
    }
    return stop;
  }

  /** After a stop: charge the slice, then switch if the current process may not go on. */
  private afterStop(): void {
    const process = this.current;
    if (!process) return;
    const cycles = this.machine.cycles;
    this.slice.charge(cycles - this.slicedAtCycles);
    this.slicedAtCycles = cycles;
    if (process.state !== ProcessState.Running) {
      this.deschedule(process);
      return;
    }
    const urgent = this.scheduler.mostUrgentLevel();
    const preempted = urgent >= 0 && urgent < process.priority;
    if ((this.slice.expired && this.scheduler.readyCount > 0) || preempted) {
      this.deschedule(process);
      this.makeReady(process);
    } else if (this.slice.expired) {
      this.slice.start();
    }
  }

  /** Puts the current process back in the queue now, e.g. for sched_yield. */
  yieldCurrent(): void {
    const process = this.current;
    if (!process) return;
    // Marked ready but still on the CPU: afterStop's state check takes it off and requeues.
    process.state = ProcessState.Ready;
  }

  /** Takes the current process off the CPU, saving its registers. Its state is the caller's. */
  private deschedule(process: Process): void {
    process.context.saveFrom(this.machine.cpu);
    process.cpuCycles += this.machine.cycles - this.dispatchedAtCycles;
    this.current = undefined;
    if (this.trace)
      this.traceEvent("stop", {
        pid: formatPid(process.pid),
        state: processStateNames[process.state] ?? "?",
      });
    if (process.state === ProcessState.Ready) {
      this.scheduler.makeReady(process.pid, process.priority);
    }
  }

  /** Puts the most urgent ready process on the CPU; false when only idle could run. */
  private dispatchNext(): boolean {
    const pid = this.scheduler.pickNext();
    if (pid === pidNone) return false;
    const process = this.processes.get(pid);
    if (!process?.isAlive) throw new Error(`kernel bug: ready pid ${pid} has no live process`);
    const machine = this.machine;
    this.dispatchedAtCycles = machine.cycles;
    if (this.loadedPid !== pid) {
      machine.chargeCycles(kernelCosts.contextSwitchCycles);
      process.addressSpace.activate();
      this.loadedPid = pid;
      this.contextSwitches++;
    }
    process.context.loadInto(machine.cpu);
    process.state = ProcessState.Running;
    this.current = process;
    if (this.trace) this.traceEvent("run", { pid: formatPid(pid) });
    this.slice.start();
    this.slicedAtCycles = machine.cycles;
    const action = process.resumeAction;
    process.resumeAction = ResumeAction.None;
    if (action === ResumeAction.SetResult) {
      machine.cpu.regs[Reg.eax] = process.resumeResult;
    } else if (action === ResumeAction.RerunSyscall) {
      dispatchSyscall(this, process);
      this.afterStop();
    }
    return true;
  }

  /**
   * Holds a process still for a migration: off the CPU (its registers saved), off the ready
   * queues, its wake-up cancelled, in state Frozen. Returns what it was doing (a running
   * process counts as ready) and its wake-up's time, for resumeMoved.
   */
  freezeProcess(process: Process): FrozenFacts {
    let state = process.state;
    if (process === this.current) {
      process.context.saveFrom(this.machine.cpu);
      process.cpuCycles += this.machine.cycles - this.dispatchedAtCycles;
      this.current = undefined;
      state = ProcessState.Ready;
    } else if (state === ProcessState.Ready) {
      this.scheduler.remove(process.pid);
    }
    let wakeAtNs = -1;
    if (process.wakeTimerId !== 0) {
      wakeAtNs = this.wakeups.dueNsOf(process.wakeTimerId) ?? -1;
      this.wakeups.cancel(process.wakeTimerId);
      process.wakeTimerId = 0;
    }
    process.state = ProcessState.Frozen;
    if (this.trace) this.traceEvent("stop", { pid: formatPid(process.pid), state: "frozen" });
    return { state, wakeAtNs };
  }

  /**
   * Puts a frozen or newly installed process back on its way in `state`: a ready one queued;
   * a receive re-run when a message it accepts came meanwhile, else blocked again with its
   * wake-up; a wait re-run (a child may have ended); a sleep re-armed for the same time.
   * False when the wake-up queue is full (the caller reports it).
   */
  resumeMoved(process: Process, state: ProcessState, wakeAtNs: number): boolean {
    if (wakeAtNs >= 0) {
      const id = this.wakeups.schedule(wakeAtNs, process.pid);
      if (id === undefined) return false;
      process.wakeTimerId = id;
    }
    process.state = state;
    if (state === ProcessState.Ready) {
      this.scheduler.makeReady(process.pid, process.priority);
    } else if (state === ProcessState.BlockedWait) {
      this.wake(process, ResumeAction.RerunSyscall);
    } else if (state === ProcessState.BlockedReceive) {
      const from = process.context.regs[Reg.edx]! >>> 0;
      if (process.mailbox.peek(from)) this.wake(process, ResumeAction.RerunSyscall);
      // A receive waiting for one remote sender asks, from here, to hear of its end.
      else this.net?.watchSenderEnd(from);
    }
    return true;
  }

  /** Adds a process that migrated here (built by kernel/migrate); the caller resumes it. */
  adoptProcess(process: Process): void {
    this.processes.add(process);
    this.liveCount++;
    if (process.inJob) this.liveJobCount++;
  }

  /**
   * Takes a frozen process out of the table while its state travels: what comes for it is
   * then passed on. It still counts as live here, and keeps its memory and its table slot,
   * until released.
   */
  detachProcess(process: Process): void {
    if (process.state !== ProcessState.Frozen) {
      throw new Error(`kernel bug: detaching ${formatPid(process.pid)}, which is not frozen`);
    }
    this.processes.detach(process.pid);
  }

  /** Puts a detached process back in its slot (its migration failed); resumeMoved next. */
  reattachProcess(process: Process): void {
    this.processes.add(process, true);
  }

  /**
   * Drops a detached process that now lives on another node: no exit, no report. With
   * `keepMemory` its address space stays allocated for the caller (copy-on-reference lends
   * the pages until the destination has fetched them) and the caller destroys it later.
   */
  releaseProcess(process: Process, keepMemory = false): void {
    if (process.state !== ProcessState.Frozen || this.processes.has(process.pid)) {
      throw new Error(`kernel bug: releasing ${formatPid(process.pid)}, which is not detached`);
    }
    this.processes.releaseSlot();
    this.liveCount--;
    if (process.inJob) this.liveJobCount--;
    if (!keepMemory) process.addressSpace.destroy();
    if (this.loadedPid === process.pid) this.loadedPid = pidNone;
    process.state = ProcessState.Exited;
  }

  /** Makes a process that is off the CPU ready, cancelling its wake-up. */
  makeReady(process: Process): void {
    if (process.wakeTimerId !== 0) {
      this.wakeups.cancel(process.wakeTimerId);
      process.wakeTimerId = 0;
    }
    process.state = ProcessState.Ready;
    this.scheduler.makeReady(process.pid, process.priority);
  }

  /** Wakes a blocked process so that its syscall completes (re-runs, or gets `result`). */
  /** A message from `senderPid` entered `receiver`'s mailbox: wake it if its receive takes it. */
  wakeIfReceiving(receiver: Process, senderPid: Pid): void {
    if (
      receiver.state === ProcessState.BlockedReceive &&
      filterAccepts(receiver.context.regs[Reg.edx]! >>> 0, senderPid)
    ) {
      this.wake(receiver, ResumeAction.RerunSyscall);
    }
  }

  wake(process: Process, action: ResumeAction, result = 0): void {
    process.resumeAction = action;
    process.resumeResult = result;
    this.makeReady(process);
  }

  /**
   * Blocks the current process in `state`; with `wakeAtNs` it also gets a wake-up then.
   * Returns false (nothing changed) when the node's wake-up queue is full.
   */
  blockCurrent(state: ProcessState, wakeAtNs?: number): boolean {
    const process = this.current;
    if (!process) throw new Error("kernel bug: blocking with no current process");
    if (wakeAtNs !== undefined) {
      const id = this.wakeups.schedule(wakeAtNs, process.pid);
      if (id === undefined) return false;
      process.wakeTimerId = id;
    }
    process.state = state;
    return true;
  }

  private fireDueWakeups(): void {
    const nowNs = this.nowNs();
    if (this.net && this.net.nextTimerNs() <= nowNs) this.net.fireTimers();
    for (let timer = this.wakeups.popDue(nowNs); timer; timer = this.wakeups.popDue(nowNs)) {
      const process = this.processes.live(timer.payload);
      if (!process || process.wakeTimerId !== timer.id) continue;
      process.wakeTimerId = 0;
      if (process.state === ProcessState.Sleeping) this.wake(process, ResumeAction.SetResult, 0);
      else if (process.state === ProcessState.BlockedReceive) {
        this.wake(process, ResumeAction.SetResult, -Errno.ETIMEDOUT);
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

  /** Every raised line the kernel accepts: the timer tick, then the NIC. */
  private handleInterrupts(): void {
    const pending = this.machine.pendingIrqMask() & this.machine.irqEnabledMask;
    if (pending & timerIrqBit) this.handleTick();
    if (pending & ~timerIrqBit && this.net) {
      this.machine.chargeCycles(kernelCosts.interruptCycles);
      this.net.onNicInterrupt();
    }
  }

  /** The timer tick: acknowledge, then one load sample per elapsed tick. */
  private handleTick(): void {
    const machine = this.machine;
    machine.chargeCycles(kernelCosts.interruptCycles);
    const ticks = machine.timer.acknowledge(machine.cycles);
    if (ticks === 0) return;
    const samplesBefore = this.sampler.totalSamples;
    // Busy when a process is running or ready: between a yield (or a wake-up, or a
    // preemption) and the next dispatch nobody is current, yet the node is not idle.
    this.sampler.record(
      this.current === undefined && this.scheduler.readyCount === 0,
      this.scheduler.readyCount,
      this.liveCount,
      ticks,
    );
    machine.chargeCycles(kernelCosts.loadSampleCycles);
    this.samplingCycles += kernelCosts.loadSampleCycles;
    const windowsBefore = Math.floor(samplesBefore / loadWindowSamples);
    if (this.trace && Math.floor(this.sampler.totalSamples / loadWindowSamples) > windowsBefore) {
      this.traceEvent("load", { ...this.loadSnapshot() });
    }
  }

  loadSnapshot(): LoadSnapshot {
    return this.sampler.snapshot();
  }

  /** Input for read(0): up to `maxBytes`, empty at end of input, or the host's -errno. */
  readInput(maxBytes: number): Uint8Array | number {
    const input = this.options.readInput?.(maxBytes) ?? new Uint8Array(0);
    if (typeof input === "number") return input;
    return input.length > maxBytes ? input.subarray(0, maxBytes) : input;
  }

  /**
   * Puts `pid`'s bytes on the console and passes them on at once; returns how many were
   * taken, or the -errno the host's output failed with.
   */
  writeConsole(channel: ConsoleChannel, bytes: Uint8Array, pid: Pid): number {
    const console = this.machine.console;
    const acceptedBytes = console.write(channel, bytes);
    if (!this.options.onOutput) return acceptedBytes;
    const hostOutcome = this.options.onOutput(channel, console.drain(channel), pid);
    return typeof hostOutcome === "number" && hostOutcome < 0 ? hostOutcome : acceptedBytes;
  }

  exitProcess(process: Process, status: number): void {
    process.exitStatus = status;
    this.endProcess(process);
  }

  /**
   * Ends a process as killed by `signal` (status 128 + signal), with the fault if any, and
   * reports why: the fault, or `reason` in end-reasons.ts's words.
   */
  killProcess(
    process: Process,
    signal: number,
    fault: FaultReport | undefined,
    reason = fault ? faultReason(fault) : "killed",
  ): void {
    const recentCount = this.options.recentEipsOnFault ?? 0;
    if (fault && recentCount > 0) fault.lastEips = this.machine.cpu.recentEips(recentCount);
    process.fault = fault;
    process.exitStatus = 128 + signal;
    process.endReason = reason;
    if (fault) {
      this.traceEvent("fault", { pid: formatPid(process.pid), fault: describeFault(fault) });
    }
    this.report(`process ${this.label(process)} ${reason}`);
    this.endProcess(process);
  }

  /** kill(pid) from the process `killerPid` (on any node): status 137. */
  killByRequest(target: Process, killerPid: Pid): void {
    target.killed = true;
    this.traceEvent("kill", { pid: formatPid(target.pid), by: formatPid(killerPid) });
    const killer = this.processes.get(killerPid);
    const killerLabel = killer ? this.label(killer) : formatPid(killerPid);
    const reason = killedByReason(killerLabel, target.pid === killerPid);
    this.killProcess(target, Signal.SIGKILL, undefined, reason);
  }

  /** CPU cycles of a process so far, its current turn on the CPU included. */
  cpuCyclesOf(process: Process): number {
    const running = process === this.current ? this.machine.cycles - this.dispatchedAtCycles : 0;
    return process.cpuCycles + running;
  }

  label(process: Process): string {
    return `${formatPid(process.pid)} (${process.name})`;
  }

  report(line: string): void {
    this.options.onReport?.(line);
  }

  private killForInstructionLimit(): void {
    for (const process of [...this.processes.all()]) {
      if (!process.isAlive) continue;
      process.instructionLimitReached = true;
      this.killProcess(
        process,
        Signal.SIGKILL,
        undefined,
        instructionLimitReason(this.instructionsMax),
      );
    }
  }

  /**
   * Ends a process whatever the cause (docs/kernel.md §2): off the CPU and the queues, its
   * wake-up cancelled, its memory freed, its queued messages dropped, its pairs forgotten by
   * the other ends, its children re-parented to the kernel; then it is a zombie until its
   * parent collects it, or gone at once when the kernel is its parent.
   */
  private endProcess(process: Process): void {
    if (this.current === process) {
      process.cpuCycles += this.machine.cycles - this.dispatchedAtCycles;
      this.current = undefined;
    } else {
      this.scheduler.remove(process.pid);
    }
    if (process.wakeTimerId !== 0) {
      this.wakeups.cancel(process.wakeTimerId);
      process.wakeTimerId = 0;
    }
    process.state = ProcessState.Exited;
    process.resumeAction = ResumeAction.None;
    process.endedOrder = this.nextEndedOrder();
    this.liveCount--;
    if (process.inJob) this.liveJobCount--;
    process.addressSpace.destroy();
    if (this.loadedPid === process.pid) this.loadedPid = pidNone;
    const droppedMessages = process.mailbox.length;
    this.traceEvent("exit", {
      pid: formatPid(process.pid),
      status: process.exitStatus,
      cpuNs: Math.round((process.cpuCycles * 1e9) / this.machine.clockHz),
      droppedMessages,
    });
    this.options.onProcessEnd?.(process);
    this.net?.onProcessEnd(process);
    for (const other of [...this.processes.all()]) {
      if (other === process) continue;
      other.mailbox.forgetSender(process.pid);
      other.sendSeqs.forget(process.pid);
      if (
        other.state === ProcessState.BlockedReceive &&
        other.context.regs[Reg.edx] === process.pid
      ) {
        this.wake(other, ResumeAction.SetResult, -Errno.ESRCH);
      }
      if (other.parentPid === process.pid) {
        other.parentPid = pidNone;
        if (!other.isAlive) this.processes.remove(other.pid);
      }
    }
    const parent =
      process.parentPid === pidNone ? undefined : this.processes.live(process.parentPid);
    if (!parent) {
      this.processes.remove(process.pid);
      return;
    }
    if (parent.state === ProcessState.BlockedWait) {
      const wanted = parent.context.regs[Reg.ebx]!;
      if (wanted === pidNone || wanted === process.pid) {
        this.wake(parent, ResumeAction.RerunSyscall);
      }
    }
  }

  /** The next number in this node's order of process ends (local and remote children). */
  nextEndedOrder(): number {
    return ++this.endedCount;
  }

  /** Removes a zombie child whose status its parent has collected. */
  collectZombie(child: Process): void {
    this.processes.remove(child.pid);
  }
}
