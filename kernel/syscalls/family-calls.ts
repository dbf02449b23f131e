// wait (1003) and kill (1007). wait collects a zombie child (the earliest ended first) or
// blocks while matching children live; no matching child gives -ECHILD. kill ends any live
// process with status 137 (sterna has no users, so anyone may kill anyone, itself included).

import { Errno } from "../errno.ts";
import { pidNone } from "../process/pid.ts";
import { type Process, ProcessState } from "../process/process.ts";
import { type SyscallHandler, setSecondResult, syscallBlocked } from "./syscall-handler.ts";

export const waitCall: SyscallHandler = (kernel, process, childPid) => {
  let zombie: Process | undefined;
  let matching = 0;
  for (const child of kernel.processes.childrenOf(process.pid)) {
    if (childPid !== pidNone && child.pid !== childPid) continue;
    matching++;
    if (!child.isAlive && (!zombie || child.endedOrder < zombie.endedOrder)) zombie = child;
  }
  if (matching === 0) return -Errno.ECHILD;
  if (!zombie) {
    kernel.blockCurrent(ProcessState.BlockedWait);
    return syscallBlocked;
  }
  kernel.collectZombie(zombie);
  setSecondResult(kernel, zombie.pid);
  return zombie.exitStatus;
};

export const killCall: SyscallHandler = (kernel, process, targetPid) => {
  const target = kernel.processes.live(targetPid);
  if (!target) return -Errno.ESRCH;
  kernel.killByRequest(target, process);
  return 0;
};
