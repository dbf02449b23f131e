// Runs one static i386 ELF executable to completion on a fresh machine with the kernel, and
// returns what a shell would see (status, output) plus counters. Used by `sterna exec`, the
// oracle tests and the benchmarks. Synchronous: host input comes from an array or a callback.

import { ConsoleChannel } from "../vm/devices/console.ts";
import { Machine } from "../vm/machine.ts";
import { neverWakesReason } from "./faults/end-reasons.ts";
import { type FaultReport, Signal } from "./faults/fault-report.ts";
import { Kernel } from "./kernel.ts";
import { ProcessState } from "./process/process.ts";

export interface ExecOptions {
  argv: string[];
  /**
   * Guest stdin: all of it, or a callback returning up to `maxBytes` (empty = end), or the
   * -errno the host's read failed with.
   */
  stdin?: Uint8Array | ((maxBytes: number) => Uint8Array | number);
  /**
   * Called with guest fd 1 bytes as they are written; without it they are collected. A
   * negative number returned is a -errno for the guest's write (KernelOptions.onOutput).
   */
  onStdout?: (bytes: Uint8Array) => unknown;
  onStderr?: (bytes: Uint8Array) => unknown;
  /** Kill the process (status 137) once this many instructions have run. */
  maxInstructions?: number;
  /** Put this many of the last eips into a fault report. */
  lastEips?: number;
  memoryBytes?: number;
  /** The CPU's compile threshold (CpuOptions); the oracle tests lower it. */
  compileThreshold?: number;
}

export interface ExecResult {
  status: number;
  /** The process's id (node 0, first process: 1). */
  pid: number;
  stdout: Uint8Array;
  stderr: Uint8Array;
  fault?: FaultReport;
  /** Why the kernel ended it ("killed by ...", "killed: ..."); undefined after exit. */
  endReason?: string;
  /** True when the process was stopped by `maxInstructions`. */
  instructionLimitReached?: boolean;
  instructions: number;
  cycles: number;
  virtualNs: number;
}

function inputReader(stdin: ExecOptions["stdin"]): (maxBytes: number) => Uint8Array | number {
  if (typeof stdin === "function") return stdin;
  const input = stdin ?? new Uint8Array(0);
  let offsetBytes = 0;
  return (maxBytes) => {
    const chunk = input.subarray(offsetBytes, offsetBytes + maxBytes);
    offsetBytes += chunk.length;
    return chunk;
  };
}

function blockedCallName(state: ProcessState): string {
  if (state === ProcessState.BlockedReceive) return "receive";
  if (state === ProcessState.BlockedWait) return "wait";
  return "sleep";
}

/** Collects output chunks and joins them once at the end. */
class OutputCollector {
  private readonly chunks: Uint8Array[] = [];
  private totalBytes = 0;

  add(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.totalBytes += bytes.length;
  }

  joined(): Uint8Array {
    const all = new Uint8Array(this.totalBytes);
    let offset = 0;
    for (const chunk of this.chunks) {
      all.set(chunk, offset);
      offset += chunk.length;
    }
    return all;
  }
}

/** Runs `image` with `opts.argv`; throws LoadError (ElfError for a malformed file). */
export function runExecutable(image: Uint8Array, opts: ExecOptions): ExecResult {
  const machine = new Machine({
    memoryBytes: opts.memoryBytes,
    compileThreshold: opts.compileThreshold,
  });
  const stdout = new OutputCollector();
  const stderr = new OutputCollector();
  const sendStdout = opts.onStdout ?? ((bytes: Uint8Array) => stdout.add(bytes));
  const sendStderr = opts.onStderr ?? ((bytes: Uint8Array) => stderr.add(bytes));
  const kernel = new Kernel(machine, {
    readInput: inputReader(opts.stdin),
    onOutput: (channel, bytes) => (channel === ConsoleChannel.Out ? sendStdout : sendStderr)(bytes),
    recentEipsOnFault: opts.lastEips,
    // Alone on its machine, as under Linux, the process may use all of memory.
    processMemoryBytesMax: machine.memoryBytes,
  });
  const process = kernel.exec(image, opts.argv);
  kernel.run(opts.maxInstructions);
  // Blocked forever (e.g. receive with nobody to send): nothing can wake it, so it is killed.
  if (process.isAlive) {
    const reason = neverWakesReason(blockedCallName(process.state));
    kernel.killProcess(process, Signal.SIGKILL, undefined, reason);
  }
  const result: ExecResult = {
    status: process.exitStatus,
    pid: process.pid,
    stdout: stdout.joined(),
    stderr: stderr.joined(),
    instructions: machine.cpu.instructions,
    cycles: machine.cycles,
    virtualNs: machine.nowNs(),
  };
  if (process.fault) result.fault = process.fault;
  if (process.endReason !== undefined) result.endReason = process.endReason;
  if (process.instructionLimitReached) result.instructionLimitReached = true;
  return result;
}
