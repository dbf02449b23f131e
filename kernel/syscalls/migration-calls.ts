// handshake, migrate_out, migrate_in and cancel_migrate (1008-1011) belong to the node's
// Starter (docs/migration.md, Actors): any other caller gets -EPERM. handshake registers the
// Starter and starts or stops its statistics (kernel/migrate/starter-channel.ts); migrate_out
// starts the migration protocol for a live process of this node; migrate_in answers a request
// the kernel passed the Starter (step 6); cancel_migrate calls a migration off before the
// commit point.

import { Errno } from "../errno.ts";
import type { Kernel } from "../kernel.ts";
import type { Process } from "../process/process.ts";
import type { SyscallHandler } from "./syscall-handler.ts";

function isStarter(kernel: Kernel, process: Process): boolean {
  return kernel.net !== undefined && process.pid === kernel.starterPid;
}

/** handshake(1 start | 0 stop, period µs): 0, or -EINVAL for another first argument. */
export const handshakeCall: SyscallHandler = (kernel, process, start, periodUs) => {
  if (!isStarter(kernel, process)) return -Errno.EPERM;
  if (start > 1) return -Errno.EINVAL;
  kernel.net!.migration.starterChannel.handshake(start === 1, periodUs);
  return 0;
};

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

/** migrate_in(request id, 1 accept | 0 deny): 0, -ESRCH when no request waits with that id. */
export const migrateInCall: SyscallHandler = (kernel, process, requestId, accept) => {
  if (!isStarter(kernel, process)) return -Errno.EPERM;
  if (accept > 1) return -Errno.EINVAL;
  const answered = kernel.net!.migration.destination.answerStarterRequest(requestId, accept === 1);
  return answered ? 0 : -Errno.ESRCH;
};

/** cancel_migrate(pid): 0 when called off, -EBUSY past the commit point, -ESRCH if none. */
export const cancelMigrateCall: SyscallHandler = (kernel, process, pid) => {
  if (!isStarter(kernel, process)) return -Errno.EPERM;
  const migration = kernel.net!.migration;
  if (migration.source.isMigrating(pid)) return migration.source.cancel(pid) ? 0 : -Errno.EBUSY;
  // The destination's Starter may cancel too, until it has accepted (DESIGN.md §5).
  const arriving = migration.destination.cancelArriving(pid);
  if (arriving === undefined) return -Errno.ESRCH;
  return arriving === "cancelled" ? 0 : -Errno.EBUSY;
};
