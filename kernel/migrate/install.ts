// Building a process that migrated here from its checked image: a fresh address space with
// the pages written into new frames, the PCB restored (registers, brk, mailbox and pair
// tables, CPU time, age, the blocked call), its children known to the network, and the
// process put back on its way as it was at the source (kernel.resumeMoved). Refuses, changing
// nothing, when the table or memory cannot hold it or the IPC state does not check.

import type { Kernel } from "../kernel.ts";
import { AddressSpace } from "../memory/address-space.ts";
import { formatPid } from "../process/pid.ts";
import { Process } from "../process/process.ts";
import { refusesInstall, traceImageDigest } from "./migration-probe.ts";
import { asFormatError, type ImagePage, type ProcessStateRecord } from "./process-image.ts";

/** Frames a set of pages needs: the pages, their page tables and the directory. */
export function framesNeeded(pages: readonly ImagePage[]): number {
  const tables = new Set(pages.map((page) => page.linear >>> 22));
  return pages.length + tables.size + 1;
}

/** Frames needed for `pageCount` pages, counting a page table per 1024 pages and two spare. */
export function framesNeededForCount(pageCount: number): number {
  return pageCount + Math.ceil(pageCount / 1024) + 3;
}

/** The installed process, or why not (one line). */
export function installProcess(
  kernel: Kernel,
  state: ProcessStateRecord,
  pages: readonly ImagePage[],
): Process | string {
  const label = formatPid(state.pid);
  if (refusesInstall(kernel.net?.migrationProbe, state.pid)) return "refused by the test probe";
  if (kernel.processes.has(state.pid)) return `${label} is already on this node`;
  if (kernel.processes.isFull) return "process table full";
  if (state.children.length > 0 && !kernel.net) return "children need a cluster to live in";
  if (framesNeeded(pages) > kernel.frames.freeFrameCount) return "not enough free memory";
  if (state.wakeAtNs >= 0 && kernel.wakeups.size >= kernel.wakeups.capacity) {
    return "wake-up queue full";
  }
  const addressSpace = AddressSpace.create(kernel.machine, kernel.frames);
  if (!addressSpace) return "not enough free memory";
  for (const page of pages) {
    if (!addressSpace.mapZeroPage(page.linear, true)) {
      addressSpace.destroy();
      return "not enough free memory";
    }
    addressSpace.writeAsKernel(page.linear, page.bytes);
    if (!page.writable) addressSpace.setWritable(page.linear, false);
  }
  const process = new Process(
    state.pid,
    state.name,
    addressSpace,
    state.brkStartAddress,
    state.imagePageCount,
    state.stackPageCount,
    state.priority,
  );
  try {
    process.mailbox.setState(state.mailbox);
    process.sendSeqs.setState(state.sendSeqs);
  } catch (error) {
    addressSpace.destroy();
    return asFormatError(error).message;
  }
  process.parentPid = state.parentPid;
  process.inJob = state.inJob;
  process.memoryBytesMax = state.memoryBytesMax;
  process.bornAtNs = state.bornAtNs;
  process.brkAddress = state.brkAddress;
  process.cpuCycles = Math.round((state.cpuNs * kernel.machine.clockHz) / 1e9);
  process.context.regs.set(state.regs);
  process.context.eip = state.eip;
  process.context.eflags = state.eflags;
  process.resumeAction = state.resumeAction;
  process.resumeResult = state.resumeResult;
  kernel.adoptProcess(process);
  const network = kernel.net;
  if (network) {
    // Its children become remote children here, except those that live on this node.
    for (const child of state.children) {
      if (kernel.processes.has(child.pid)) continue;
      network.remoteChildren.add(child.pid, state.pid);
      if (child.status !== undefined) {
        network.remoteChildren.markEnded(
          child.pid,
          state.pid,
          child.status,
          kernel.nextEndedOrder(),
        );
      }
    }
    // Moved to its parent's node: the parent now sees it as a local child.
    if (kernel.processes.live(state.parentPid)) network.remoteChildren.remove(state.pid);
  }
  if (kernel.net?.migrationProbe?.imageDigests) {
    traceImageDigest(kernel, process, "install", undefined, {
      state: state.state,
      wakeAtNs: state.wakeAtNs,
    });
  }
  kernel.resumeMoved(process, state.state, state.wakeAtNs);
  return process;
}
