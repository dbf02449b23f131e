// handshake, migrate_out, migrate_in and cancel_migrate (1008-1011) belong to the node's
// Starter (docs/migration.md, Actors): any other caller gets -EPERM. migrate_out starts the
// migration protocol (kernel/migrate) for a live process of this node; cancel_migrate calls it
// off before the commit point. handshake and migrate_in need the kernel-to-Starter messages,
// which are not built yet: they answer -ENOSYS to the Starter, and destinations use the
// built-in acceptor.

import { Errno } from "../errno.ts";
import type { Kernel } from "../kernel.ts";
import type { Process } from "../process/process.ts";
import type { SyscallHandler } from "./syscall-handler.ts";

function isStarter(kernel: Kernel, process: Process): boolean {
  return kernel.net !== undefined && process.pid === kernel.starterPid;
}

/** migrate_out(pid, node): 0 when the request left, else -errno. */
export const migrateOutCall: SyscallHandler = (kernel, process, pid, node) => {
  if (!isStarter(kernel, process)) return -Errno.EPERM;
  const net = kernel.net!;
  if (node >= kernel.nodeCount || node === kernel.homeNode) return -Errno.EINVAL;
  const target = kernel.processes.live(pid);
  if (!target) return -Errno.ESRCH;
  if (target === process) return -Errno.EINVAL;
  if (net.migration.source.isMigrating(pid)) return -Errno.EBUSY;
  net.migration.source.start(target, node);
  return 0;
};

/** cancel_migrate(pid): 0 when called off, -EBUSY past the commit point, -ESRCH if none. */
export const cancelMigrateCall: SyscallHandler = (kernel, process, pid) => {
  if (!isStarter(kernel, process)) return -Errno.EPERM;
  const source = kernel.net!.migration.source;
  if (!source.isMigrating(pid)) return -Errno.ESRCH;
  return source.cancel(pid) ? 0 : -Errno.EBUSY;
};

/** handshake and migrate_in: the Starter's, not built yet. */
export const starterOnlyCall: SyscallHandler = (kernel, process) =>
  isStarter(kernel, process) ? -Errno.ENOSYS : -Errno.EPERM;
