// A send between two processes on the same node: stamp the message with the next sequence
// number of the pair, offer it to the receiver's mailbox, and use the number up only if the
// mailbox took it. A remote send follows the same steps with the transport in the middle.
// The caller has already copied the bytes out of guest memory and checked their length.

import type { Pid } from "../process/pid.ts";
import type { Mailbox } from "./mailbox.ts";
import type { PairSequenceTable } from "./pair-sequence-table.ts";

/** "delivered" -> send returns 0; "full" and "peers-full" -> -EAGAIN. */
export type LocalSendOutcome = "delivered" | "full" | "peers-full";

/**
 * Sends `bytes` from `senderPid`, whose outgoing numbers are `senderSeqs`, to the owner of
 * `receiver`. Throws if the two ends disagree on the pair's number: on one node that can only
 * be a kernel bug (a pair not forgotten when a process ended, or lost state).
 */
export function sendLocal(
  senderPid: Pid,
  senderSeqs: PairSequenceTable,
  receiver: Mailbox,
  bytes: Uint8Array,
): LocalSendOutcome {
  const receiverPid = receiver.ownerPid;
  if (!senderSeqs.canAdvance(receiverPid)) return "peers-full";
  const pairSeq = senderSeqs.nextSeq(receiverPid);
  const outcome = receiver.deliver({ senderPid, receiverPid, pairSeq, bytes });
  if (outcome === "duplicate" || outcome === "gap") {
    throw new Error(
      `pair ${senderPid}->${receiverPid}: sender stamps ${pairSeq}, receiver expects ${receiver.expectedSeq(senderPid)}`,
    );
  }
  if (outcome === "delivered") senderSeqs.advance(receiverPid);
  return outcome;
}
