// Reading a frozen process out of its kernel into an image (process-image.ts): the pages it
// has touched, copied from their frames, and the rest of its PCB, its children included (those
// on this node, live or ended and not yet collected, those leaving it, and those on other nodes
// the network knows). The process must be frozen (kernel.freezeProcess) so that nothing changes under it.

import type { FrozenFacts, Kernel } from "../kernel.ts";
import { pageSizeBytes } from "../memory/user-layout.ts";
import { type Process, ProcessState } from "../process/process.ts";
import type { ImageChild, ImagePage, ProcessImage, ProcessStateRecord } from "./process-image.ts";

export function capturePages(kernel: Kernel, process: Process): ImagePage[] {
  const memory = kernel.machine.memory;
  const pages: ImagePage[] = [];
  process.addressSpace.forEachMappedPage((linear, physical, writable) => {
    pages.push({ linear, writable, bytes: memory.readBytes(physical, pageSizeBytes) });
  });
  return pages;
}

/** The children of `process`: ended ones first, earliest ended first, then the live ones. */
function captureChildren(kernel: Kernel, process: Process): ImageChild[] {
  const ended: { pid: number; status: number; order: number }[] = [];
  const live: ImageChild[] = [];
  for (const child of kernel.processes.childrenOf(process.pid)) {
    if (child.isAlive) live.push({ pid: child.pid, status: undefined });
    else ended.push({ pid: child.pid, status: child.exitStatus, order: child.endedOrder });
  }
  for (const child of kernel.net?.remoteChildren.childrenOf(process.pid) ?? []) {
    if (child.status === undefined) live.push({ pid: child.pid, status: undefined });
    else ended.push({ pid: child.pid, status: child.status, order: child.endedOrder });
  }
  // A child leaving this node too is out of the process table, and may not be a remote child
  // here yet (it becomes one when its own move commits): it is alive, somewhere.
  for (const child of kernel.net?.migration.source.detached() ?? []) {
    if (child.parentPid !== process.pid || live.some((known) => known.pid === child.pid)) continue;
    live.push({ pid: child.pid, status: undefined });
  }
  ended.sort((a, b) => a.order - b.order);
  return [...ended.map(({ pid, status }) => ({ pid, status })), ...live];
}

export function captureState(
  kernel: Kernel,
  process: Process,
  facts: FrozenFacts,
): ProcessStateRecord {
  if (process.state !== ProcessState.Frozen) {
    throw new Error(`kernel bug: capturing ${process.pid}, which is not frozen`);
  }
  return readState(kernel, process, facts);
}

/** The state record of any process, frozen or not (the migration probe's digests). */
export function readState(
  kernel: Kernel,
  process: Process,
  facts: FrozenFacts,
): ProcessStateRecord {
  return {
    pid: process.pid,
    name: process.name,
    parentPid: process.parentPid,
    priority: process.priority,
    inJob: process.inJob,
    state: facts.state,
    resumeAction: process.resumeAction,
    resumeResult: process.resumeResult,
    wakeAtNs: facts.wakeAtNs,
    regs: process.context.regs.slice(),
    eip: process.context.eip >>> 0,
    eflags: process.context.eflags >>> 0,
    cpuNs: Math.round((process.cpuCycles * 1e9) / kernel.machine.clockHz),
    bornAtNs: process.bornAtNs,
    brkStartAddress: process.brkStartAddress,
    brkAddress: process.brkAddress,
    imagePageCount: process.imagePageCount,
    stackPageCount: process.stackPageCount,
    memoryBytesMax: process.memoryBytesMax,
    mailbox: process.mailbox.getState(),
    sendSeqs: process.sendSeqs.getState(),
    children: captureChildren(kernel, process),
  };
}

export function captureProcess(kernel: Kernel, process: Process, facts: FrozenFacts): ProcessImage {
  return { state: captureState(kernel, process, facts), pages: capturePages(kernel, process) };
}
