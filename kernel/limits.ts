// The stated maximum of everything one node's kernel keeps, in one place. Every table, queue
// and buffer in kernel/ is bounded by one of these; reaching a bound is a handled case that
// returns the errno named beside it (Linux numbers, ABI v1), never unbounded growth.
// Tunables that are not bounds (time slice, aging) live with the code they tune.

/**
 * Nodes in one cluster, numbered 0..2047. A PID keeps the home node in its high 12 bits, but
 * the top bit stays clear so that every PID is positive as a signed 32-bit value and can never
 * be mistaken for a -errno result in eax.
 */
export const nodeCountMax = 2048;

/** Process control blocks on one node, zombies included. spawn -> -EAGAIN. */
export const processesPerNodeMax = 256;

/** Bytes in one message (ABI v1). send with a longer length -> -EMSGSIZE. */
export const messageBytesMax = 4096;

/** Messages waiting in one process's mailbox. send to a full mailbox -> -EAGAIN. */
export const mailboxMessagesMax = 64;

/**
 * Peers one process keeps a pair sequence number for, per direction (its link table).
 * The first message to or from one more peer -> -EAGAIN. A peer's entry is dropped when the
 * peer ends, so the table only holds live conversations.
 */
export const peersPerProcessMax = 1024;

/**
 * Guest memory one process may map: image, heap and stack together. spawn of an image that
 * does not fit -> -ENOMEM; brk past it leaves the break unchanged (and returns it, as Linux).
 */
export const processMemoryBytesMax = 16 * 1024 * 1024;

/** The user stack grows on demand up to this; a fault below it ends the process (139). */
export const stackBytesMax = 8 * 1024 * 1024;

/** Pending wake-ups (sleep, receive timeouts, kernel timers) on one node. -> -EAGAIN. */
export const timersPerNodeMax = 2 * processesPerNodeMax;

/** Scheduling priority levels: 0 is the most urgent, priorityLevelCount - 1 the least. */
export const priorityLevelCount = 8;

/** Timer-tick samples in the sliding window the CPU load is computed over. */
export const loadWindowSamples = 100;

/** Bytes of a spawn path, NUL excluded. Longer -> -ENAMETOOLONG (36). */
export const spawnPathBytesMax = 255;

/** Bytes of a spawn argument string, NUL excluded. Longer -> -E2BIG (7). */
export const spawnArgumentBytesMax = 4096;
