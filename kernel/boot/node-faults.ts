// A node's crash and restart schedule (`--crash TIME:NODE`, `--restart TIME:NODE`), and what a
// crash does to the machine. A crash stops the kernel at its virtual time: every process on
// the node ends (status 137, as killed), its memory is wiped and its NIC goes silent (frames
// that reach it are dropped). A restart boots a fresh kernel on the same machine, with the
// next epoch (kernel/process/pid.ts) and transport incarnation (kernel/net/transport.ts), so
// it never reissues a PID of its earlier lives and its peers learn it came back empty. What
// survives is what is not in memory: the machine's clock, the NIC's counters, and node 0's
// file store (the command line's files, on its disk). Left out: a crash in the middle of a
// kernel call (the kernel stops between two of its steps), disks other than the file store.

import type { Machine } from "../../vm/machine.ts";
import { pidEpochMax } from "../process/pid.ts";

export const enum NodeFaultKind {
  Crash = 0,
  Restart = 1,
}

export interface NodeFault {
  atNs: number;
  kind: NodeFaultKind;
}

/** Restarts a node may have: each one takes the next PID epoch. */
export const restartsPerNodeMax = pidEpochMax;

/**
 * Checks one node's schedule, sorted by time: crashes and restarts alternate, starting with a
 * crash, at most restartsPerNodeMax restarts. Returns the first fault that breaks it and why.
 */
export function nodeFaultScheduleProblem(
  faults: readonly NodeFault[],
): { fault: NodeFault; why: string } | undefined {
  let crashed = false;
  let restarts = 0;
  let lastNs = -1;
  for (const fault of faults) {
    if (fault.atNs === lastNs) {
      return { fault, why: "the node already crashes or restarts at that time" };
    }
    lastNs = fault.atNs;
    if (fault.kind === NodeFaultKind.Crash) {
      if (crashed) return { fault, why: "the node is already crashed then (no --restart before)" };
      crashed = true;
    } else {
      if (!crashed) return { fault, why: "the node is not crashed then (no --crash before)" };
      crashed = false;
      restarts++;
      if (restarts > restartsPerNodeMax) {
        return { fault, why: `a node restarts at most ${restartsPerNodeMax} times (PID epochs)` };
      }
    }
  }
  return undefined;
}

/** The machine's side of a crash: memory wiped, NIC silent, no interrupt taken. */
export function crashMachine(machine: Machine): void {
  machine.nic.powerOff();
  machine.irqEnabledMask = 0;
  machine.memory.bytes.fill(0);
  machine.memory.watchedPages.fill(0);
  machine.cpu.flushDecodeCache();
}

/**
 * Passes the crashed machine's time up to `untilNs`: what reaches the NIC meanwhile is
 * dropped (and counted) as it comes.
 */
export function passCrashedTime(machine: Machine, untilNs: number): void {
  machine.nic.deliverDue(untilNs);
  const untilCycles = machine.cyclesFromNs(untilNs);
  if (untilCycles > machine.cycles) machine.chargeCycles(untilCycles - machine.cycles);
}
