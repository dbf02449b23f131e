// handshake, migrate_out, migrate_in and cancel_migrate (1008-1011) belong to Starters, and
// no process is started as a Starter yet (that arrives with migration, a later issue), so
// every caller gets -EPERM, the answer ABI v1 gives a process that is not a Starter.

import { Errno } from "../errno.ts";
import type { SyscallHandler } from "./syscall-handler.ts";

export const starterOnlyCall: SyscallHandler = () => -Errno.EPERM;
