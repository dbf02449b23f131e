// nodeinfo (1006): eax = this node, edx = the cluster's node count; with a buffer, also the
// 32-byte load record of load/nodeinfo-record.ts (-EFAULT if the buffer is not writable).

import { Errno } from "../errno.ts";
import { encodeNodeinfoRecord } from "../load/nodeinfo-record.ts";
import { copyToUser } from "../memory/user-copy.ts";
import { type SyscallHandler, setSecondResult } from "./syscall-handler.ts";

export const nodeinfoCall: SyscallHandler = (kernel, process, buffer) => {
  if (buffer !== 0) {
    const record = encodeNodeinfoRecord(kernel.homeNode, kernel.nodeCount, kernel.loadSnapshot());
    if (!copyToUser(kernel.machine, process, buffer, record)) return -Errno.EFAULT;
  }
  setSecondResult(kernel, kernel.nodeCount);
  return kernel.homeNode;
};

/** One entry of `loads` (1012): node, load ‰, run queue, processes, age in µs (docs/abi.md). */
export const loadsEntryBytes = 16;

/**
 * loads (1012): the loads this node knows, its own first (age 0), then those heard from other
 * kernels by node number, each with its age; at most `capacity` entries. Returns the count.
 */
export const loadsCall: SyscallHandler = (kernel, process, buffer, capacity) => {
  const own = kernel.loadSnapshot();
  const nowNs = kernel.nowNs();
  const entries = [
    {
      node: kernel.homeNode,
      loadPermille: own.loadPermille,
      runQueueLength: kernel.scheduler.readyCount,
      processCount: kernel.liveCount,
      heardAtNs: nowNs,
    },
    ...(kernel.net?.loads.entries() ?? []),
  ].slice(0, Math.min(capacity, kernel.nodeCount));
  const bytes = new Uint8Array(entries.length * loadsEntryBytes);
  const view = new DataView(bytes.buffer);
  entries.forEach((entry, index) => {
    const offset = index * loadsEntryBytes;
    view.setUint32(offset, entry.node, true);
    view.setUint32(offset + 4, entry.loadPermille, true);
    view.setUint16(offset + 8, Math.min(entry.runQueueLength, 0xffff), true);
    view.setUint16(offset + 10, Math.min(entry.processCount, 0xffff), true);
    view.setUint32(
      offset + 12,
      Math.min(Math.floor((nowNs - entry.heardAtNs) / 1000), 0xffffffff),
      true,
    );
  });
  if (bytes.length > 0 && !copyToUser(kernel.machine, process, buffer, bytes)) return -Errno.EFAULT;
  return entries.length;
};
