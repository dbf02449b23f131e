// wait (1003) and kill (1007). wait collects a zombie child (the earliest ended first) or
// blocks while matching children live; no matching child gives -ECHILD. Children on other
// nodes count as well (kernel/net/remote-children.ts), and so does a child whose state has left
// for another node while its migration has not ended (it is then in neither table: without it a
// parent whose other children ended got -ECHILD for a child still alive). kill ends any live process with status
// 137 (sterna has no users, so anyone may kill anyone, itself included); a process on another
// node is killed by its kernel, the caller waiting one round trip for the answer (as is the killer
// of a process frozen by its migration, whose kill follows it to its new node).

import { Errno } from "../errno.ts";
import type { RemoteChild } from "../net/remote-children.ts";
import { isPid, pidNone } from "../process/pid.ts";
import { type Process, ProcessState } from "../process/process.ts";
import { type SyscallHandler, setSecondResult, syscallBlocked } from "./syscall-handler.ts";

export const waitCall: SyscallHandler = (kernel, process, childPid) => {
  let zombie: Process | undefined;
  let remoteZombie: RemoteChild | undefined;
  let matching = 0;
  for (const child of kernel.processes.childrenOf(process.pid)) {
    if (childPid !== pidNone && child.pid !== childPid) continue;
    matching++;
    if (!child.isAlive && (!zombie || child.endedOrder < zombie.endedOrder)) zombie = child;
  }
  for (const child of kernel.net?.migration.source.detached() ?? []) {
    if (child.parentPid !== process.pid || (childPid !== pidNone && child.pid !== childPid))
      continue;
    matching++;
  }
  for (const child of kernel.net?.remoteChildren.childrenOf(process.pid) ?? []) {
    if (childPid !== pidNone && child.pid !== childPid) continue;
    matching++;
    if (
      child.status !== undefined &&
      (!remoteZombie || child.endedOrder < remoteZombie.endedOrder)
    ) {
      remoteZombie = child;
    }
  }
  if (matching === 0) return -Errno.ECHILD;
  if (remoteZombie && (!zombie || remoteZombie.endedOrder < zombie.endedOrder)) {
    kernel.net!.remoteChildren.remove(remoteZombie.pid);
    setSecondResult(kernel, remoteZombie.pid);
    return remoteZombie.status!;
  }
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
  // A target frozen by its migration is killed where it lands (kernel/net holds the kill).
  if (target && !(target.state === ProcessState.Frozen && kernel.net)) {
    kernel.killByRequest(target, process.pid);
    return 0;
  }
  if (kernel.net && isPid(targetPid) && (target || kernel.net.mayBeElsewhere(targetPid))) {
    return kernel.net.kill(process, targetPid);
  }
  return -Errno.ESRCH;
};
