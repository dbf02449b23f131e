// send (1000) and receive (1001), ABI v1, with the checks in the order docs/kernel.md §5
// gives. send copies the message into the kernel and never waits for the receiver to
// receive; to a process on another node it waits one round trip for that kernel's accept or
// refusal (kernel/net), so the errors are the same everywhere. receive takes the oldest
// message its filter accepts, or blocks (optionally with a timeout in µs). A message leaves
// the mailbox only once it has been copied out, so a failed copy never loses one.

import { Errno } from "../errno.ts";
import { sendLocal } from "../ipc/local-send.ts";
import { messageBytesMax } from "../limits.ts";
import { copyFromUser, copyToUser, isUserRange } from "../memory/user-copy.ts";
import { formatPid, isPid, pidNone } from "../process/pid.ts";
import { ProcessState } from "../process/process.ts";
import { type SyscallHandler, setSecondResult, syscallBlocked } from "./syscall-handler.ts";

export const sendCall: SyscallHandler = (kernel, process, receiverPid, buffer, lengthBytes) => {
  if (lengthBytes > messageBytesMax) return -Errno.EMSGSIZE;
  const receiver = kernel.processes.live(receiverPid);
  const remote =
    !receiver &&
    kernel.net !== undefined &&
    isPid(receiverPid) &&
    kernel.net.mayBeElsewhere(receiverPid);
  if (!receiver && !remote) return -Errno.ESRCH;
  const bytes = isUserRange(buffer, lengthBytes)
    ? copyFromUser(kernel.machine, process, buffer, lengthBytes)
    : undefined;
  if (!bytes) return -Errno.EFAULT;
  if (!receiver) return kernel.net!.send(process, receiverPid, bytes);
  const pairSeq = process.sendSeqs.nextSeq(receiver.pid);
  const outcome = sendLocal(process.pid, process.sendSeqs, receiver.mailbox, bytes);
  // A receiver frozen by its migration cannot drain its mailbox: rather than -EAGAIN, which
  // the sender would not meet had it not moved, the send waits for the move and runs again.
  if (
    outcome === "full" &&
    receiver.state === ProcessState.Frozen &&
    kernel.net?.migration.source.waitForMove(process, receiver.pid)
  ) {
    return syscallBlocked;
  }
  if (outcome !== "delivered") return -Errno.EAGAIN;
  kernel.traceEvent("send", {
    from: formatPid(process.pid),
    to: formatPid(receiver.pid),
    seq: pairSeq,
    bytes: lengthBytes,
  });
  kernel.wakeIfReceiving(receiver, process.pid);
  return 0;
};

export const receiveCall: SyscallHandler = (
  kernel,
  process,
  buffer,
  capacityBytes,
  fromPid,
  timeoutUs,
) => {
  const message = process.mailbox.peek(fromPid);
  if (message) {
    if (capacityBytes < message.bytes.length) return -Errno.EMSGSIZE;
    if (!copyToUser(kernel.machine, process, buffer, message.bytes)) return -Errno.EFAULT;
    process.mailbox.take(fromPid);
    kernel.traceEvent("receive", {
      pid: formatPid(process.pid),
      from: formatPid(message.senderPid),
      seq: message.pairSeq,
    });
    setSecondResult(kernel, message.senderPid);
    return message.bytes.length;
  }
  // A filter naming a process of another node is not checked here (that would cost a round
  // trip): the receive waits, as for a live local sender.
  const remoteFilter =
    kernel.net !== undefined && isPid(fromPid) && kernel.net.mayBeElsewhere(fromPid);
  if (fromPid !== pidNone && !remoteFilter && !kernel.processes.live(fromPid)) return -Errno.ESRCH;
  const wakeAtNs = timeoutUs === 0 ? undefined : kernel.nowNs() + timeoutUs * 1000;
  if (!kernel.blockCurrent(ProcessState.BlockedReceive, wakeAtNs)) return -Errno.EAGAIN;
  // The home of a remote sender tells this node when it ends: then -ESRCH, as for a local one.
  if (remoteFilter) kernel.net!.watchSenderEnd(fromPid);
  return syscallBlocked;
};
