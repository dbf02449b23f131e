// spawn (1002): a new child of the caller from an image in the cluster file store, found by
// the base name of `path`. Node -1 (any) and -2 (this one) and this node's own number mean
// here: on a one-node cluster the least loaded node that answers is this one. Another node
// gives -EINVAL until the cluster arrives (a later issue). The argument string is split at
// spaces and tabs into argv[1..]; argv[0] is the path as given.

import { Errno } from "../errno.ts";
import { spawnArgumentBytesMax, spawnPathBytesMax } from "../limits.ts";
import { ElfError } from "../loader/elf.ts";
import { LoadError } from "../loader/load-error.ts";
import { copyStringFromUser } from "../memory/user-string.ts";
import type { SyscallHandler } from "./syscall-handler.ts";

const nodeAny = -1;
const nodeThis = -2;

export const spawnCall: SyscallHandler = (kernel, process, pathAddress, node, argumentAddress) => {
  const nodeNumber = node | 0;
  if (nodeNumber !== nodeAny && nodeNumber !== nodeThis && nodeNumber !== kernel.homeNode) {
    return -Errno.EINVAL;
  }
  const path = copyStringFromUser(kernel.machine, process, pathAddress, spawnPathBytesMax);
  if (path === "fault") return -Errno.EFAULT;
  if (path === "too-long") return -Errno.ENAMETOOLONG;
  let argumentText = "";
  if (argumentAddress !== 0) {
    const text = copyStringFromUser(
      kernel.machine,
      process,
      argumentAddress,
      spawnArgumentBytesMax,
    );
    if (text === "fault") return -Errno.EFAULT;
    if (text === "too-long") return -Errno.E2BIG;
    argumentText = text;
  }
  const image = kernel.files?.find(path);
  if (!image) return -Errno.ENOENT;
  const argv = [path, ...argumentText.split(/[ \t]+/).filter((word) => word.length > 0)];
  try {
    const child = kernel.createProcess(image, argv, process.pid);
    return typeof child === "string" ? -Errno.EAGAIN : child.pid;
  } catch (error) {
    if (error instanceof ElfError) return -Errno.ENOEXEC;
    if (error instanceof LoadError) return -Errno.ENOMEM;
    throw error;
  }
};
