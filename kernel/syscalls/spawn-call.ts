// spawn (1002): a new child of the caller from an image in the cluster file store, found by
// the base name of `path`, on a node: a number, -1 (any: the least loaded kernel that answers
// in time, kernel/net) or -2 (this one). A node outside the cluster gives -EINVAL, a file the
// store lacks -ENOENT. On another node, or on a node that must fetch the image from the file
// store's node, the caller waits for the answer. The argument string is split at spaces and
// tabs into argv[1..]; argv[0] is the path as given.

import { Errno } from "../errno.ts";
import type { Kernel } from "../kernel.ts";
import { spawnArgumentBytesMax, spawnPathBytesMax } from "../limits.ts";
import { ElfError } from "../loader/elf.ts";
import { LoadError } from "../loader/load-error.ts";
import { copyStringFromUser } from "../memory/user-string.ts";
import type { Pid } from "../process/pid.ts";
import type { SyscallHandler } from "./syscall-handler.ts";

export const spawnNodeAny = -1;
const spawnNodeThis = -2;

export const spawnCall: SyscallHandler = (kernel, process, pathAddress, node, argumentAddress) => {
  const requested = node | 0;
  const target = requested === spawnNodeThis ? kernel.homeNode : requested;
  if (target !== spawnNodeAny && (target < 0 || target >= kernel.nodeCount)) return -Errno.EINVAL;
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
  if (kernel.net && kernel.nodeCount > 1) {
    return kernel.net.spawnForProcess(process, path, argumentText, target);
  }
  const image = kernel.files?.find(path);
  if (!image) return -Errno.ENOENT;
  return spawnFromImage(kernel, image, process.pid, process.inJob, path, argumentText);
};

/** Creates the child on this node; its pid, or -errno as spawn reports a bad image. */
export function spawnFromImage(
  kernel: Kernel,
  image: Uint8Array,
  parentPid: Pid,
  inJob: boolean,
  path: string,
  argumentText: string,
): number {
  const argv = [path, ...argumentText.split(/[ \t]+/).filter((word) => word.length > 0)];
  try {
    const child = kernel.createProcess(image, argv, parentPid, inJob);
    return typeof child === "string" ? -Errno.EAGAIN : child.pid;
  } catch (error) {
    if (error instanceof ElfError) return -Errno.ENOEXEC;
    if (error instanceof LoadError) return -Errno.ENOMEM;
    throw error;
  }
}
