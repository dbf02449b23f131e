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
