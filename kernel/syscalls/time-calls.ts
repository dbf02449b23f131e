// clock (1004) and sleep (1005), in the node's virtual time. clock returns the virtual ns in
// edx:eax. sleep(µs) blocks until now + µs × 1000 ns; sleep(0) only yields. A full wake-up
// queue gives -EAGAIN.

import { Errno } from "../errno.ts";
import { ProcessState } from "../process/process.ts";
import { type SyscallHandler, setSecondResult, syscallBlocked } from "./syscall-handler.ts";

const twoTo32 = 0x1_0000_0000;

export const clockCall: SyscallHandler = (kernel) => {
  const nowNs = kernel.nowNs();
  setSecondResult(kernel, Math.floor(nowNs / twoTo32));
  return (nowNs % twoTo32) | 0;
};

export const sleepCall: SyscallHandler = (kernel, _process, durationUs) => {
  if (durationUs === 0) {
    kernel.yieldCurrent();
    return 0;
  }
  const wakeAtNs = kernel.nowNs() + durationUs * 1000;
  if (!kernel.blockCurrent(ProcessState.Sleeping, wakeAtNs)) return -Errno.EAGAIN;
  return syscallBlocked;
};
