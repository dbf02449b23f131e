// One IPC message as the kernel holds it after `send` copied it out of the sender's memory.
// The kernel stamps the sender, the receiver and the pair sequence number (the count of
// earlier messages from this sender to this receiver), so the message carries everything a
// receiving kernel needs to keep delivery exactly-once and FIFO per pair, wherever either end
// has migrated. Routing and framing on the wire are the transport's business, not modelled here.

import { messageBytesMax } from "../limits.ts";
import type { Pid } from "../process/pid.ts";
import { bytesToHex, readHexBytes, readInteger, readPid, readRecord } from "./state-fields.ts";

export interface Message {
  senderPid: Pid;
  receiverPid: Pid;
  /** 0 for the first message of the pair, then one more for each message accepted. */
  pairSeq: number;
  /** The kernel's own copy; at most messageBytesMax bytes. */
  bytes: Uint8Array;
}

/** A message as plain JSON-safe data, for migration and snapshots. */
export interface MessageState {
  senderPid: Pid;
  receiverPid: Pid;
  pairSeq: number;
  bytesHex: string;
}

export function messageToState(message: Message): MessageState {
  return {
    senderPid: message.senderPid,
    receiverPid: message.receiverPid,
    pairSeq: message.pairSeq,
    bytesHex: bytesToHex(message.bytes),
  };
}

/** Rebuilds a message from untrusted state; `where` names it in errors ("messages[3]"). */
export function messageFromState(state: unknown, where: string): Message {
  const record = readRecord(state, where);
  return {
    senderPid: readPid(record.senderPid, `${where}.senderPid`),
    receiverPid: readPid(record.receiverPid, `${where}.receiverPid`),
    pairSeq: readInteger(record.pairSeq, `${where}.pairSeq`, 0, Number.MAX_SAFE_INTEGER),
    bytes: readHexBytes(record.bytesHex, `${where}.bytesHex`, messageBytesMax),
  };
}
