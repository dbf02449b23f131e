// A process's mailbox: the bounded FIFO of messages sent to it and not yet received, plus the
// pair sequence number it expects next from each sender. `deliver` accepts a message only if
// it is the next of its pair and there is room; `take` removes the oldest message from one
// sender (or from any), so per-pair FIFO holds whatever source filters the receiver uses.
// Blocking, timeouts and copying into guest memory are the receive syscall's business.

import { mailboxMessagesMax, messageBytesMax, peersPerProcessMax } from "../limits.ts";
import { type Pid, pidNone } from "../process/pid.ts";
import { type Message, type MessageState, messageFromState, messageToState } from "./message.ts";
import { PairSequenceTable, type PairSequenceTableState } from "./pair-sequence-table.ts";
import { IpcStateError, readArray, readInteger, readPid, readRecord } from "./state-fields.ts";

/**
 * What `deliver` did. Only "delivered" queues the message.
 * - "full": no room; the sender is told -EAGAIN and the pair's number is not used up.
 * - "peers-full": a new sender while the receiver's pair table is full; -EAGAIN as well.
 * - "duplicate": the pair's number was already accepted (a retransmission); dropped, counted.
 * - "gap": a later number than expected, so an earlier message is missing; refused, counted.
 */
export type DeliverOutcome = "delivered" | "full" | "peers-full" | "duplicate" | "gap";

export interface MailboxCounts {
  delivered: number;
  deliveredBytes: number;
  taken: number;
  refusedFull: number;
  refusedPeersFull: number;
  duplicatesDropped: number;
  gapsRefused: number;
  /** The most messages ever queued at once. */
  queuedPeak: number;
}

export interface MailboxState {
  ownerPid: Pid;
  /** Oldest first. */
  messages: MessageState[];
  expectedSeqs: PairSequenceTableState;
  counts: MailboxCounts;
}

/** Whether a receive filter (a PID, or pidNone for any) accepts a message from `senderPid`. */
export function filterAccepts(fromPid: Pid, senderPid: Pid): boolean {
  return fromPid === pidNone || fromPid === senderPid;
}

/** The counters in a fixed order: the state check walks them, the process image writes them. */
export const countNames: readonly (keyof MailboxCounts)[] = [
  "delivered",
  "deliveredBytes",
  "taken",
  "refusedFull",
  "refusedPeersFull",
  "duplicatesDropped",
  "gapsRefused",
  "queuedPeak",
];

function zeroCounts(): MailboxCounts {
  return {
    delivered: 0,
    deliveredBytes: 0,
    taken: 0,
    refusedFull: 0,
    refusedPeersFull: 0,
    duplicatesDropped: 0,
    gapsRefused: 0,
    queuedPeak: 0,
  };
}

export class Mailbox {
  /** Oldest first; at most `capacity` long, so the scans below are bounded. */
  private messages: Message[] = [];
  private expectedSeqs: PairSequenceTable;
  private counts = zeroCounts();

  constructor(
    readonly ownerPid: Pid,
    readonly capacity = mailboxMessagesMax,
    peersMax = peersPerProcessMax,
  ) {
    this.expectedSeqs = new PairSequenceTable(peersMax);
  }

  get length(): number {
    return this.messages.length;
  }

  /** A copy of the statistics (for HandShake reports and the trace). */
  get stats(): MailboxCounts {
    return { ...this.counts };
  }

  /** The pair sequence number this mailbox expects next from `senderPid`. */
  expectedSeq(senderPid: Pid): number {
    return this.expectedSeqs.nextSeq(senderPid);
  }

  deliver(message: Message): DeliverOutcome {
    if (message.receiverPid !== this.ownerPid) {
      throw new RangeError(
        `message for pid ${message.receiverPid} delivered to the mailbox of pid ${this.ownerPid}`,
      );
    }
    if (message.bytes.length > messageBytesMax) {
      throw new RangeError(`message of ${message.bytes.length} bytes exceeds ${messageBytesMax}`);
    }
    const expected = this.expectedSeqs.nextSeq(message.senderPid);
    if (message.pairSeq < expected) {
      this.counts.duplicatesDropped++;
      return "duplicate";
    }
    if (message.pairSeq > expected) {
      this.counts.gapsRefused++;
      return "gap";
    }
    if (this.messages.length >= this.capacity) {
      this.counts.refusedFull++;
      return "full";
    }
    if (!this.expectedSeqs.canAdvance(message.senderPid)) {
      this.counts.refusedPeersFull++;
      return "peers-full";
    }
    this.expectedSeqs.advance(message.senderPid);
    this.messages.push(message);
    this.counts.delivered++;
    this.counts.deliveredBytes += message.bytes.length;
    this.counts.queuedPeak = Math.max(this.counts.queuedPeak, this.messages.length);
    return "delivered";
  }

  /** The oldest message the filter accepts, left in place; undefined when there is none. */
  peek(fromPid: Pid): Message | undefined {
    const index = this.indexOf(fromPid);
    return index < 0 ? undefined : this.messages[index];
  }

  /** Removes and returns the oldest message the filter accepts; undefined when there is none. */
  take(fromPid: Pid): Message | undefined {
    const index = this.indexOf(fromPid);
    if (index < 0) return undefined;
    const [message] = this.messages.splice(index, 1);
    this.counts.taken++;
    return message;
  }

  /**
   * Removes the oldest queued message `match` accepts, without receiving it (a Starter's older
   * statistics make room for newer ones); false when none matches.
   */
  dropOldest(match: (message: Message) => boolean): boolean {
    const index = this.messages.findIndex(match);
    if (index < 0) return false;
    this.messages.splice(index, 1);
    return true;
  }

  /**
   * Forgets the pair with a sender that has ended, so a later process that reuses its PID
   * starts at sequence number 0. Its messages already queued stay and can still be received.
   */
  forgetSender(senderPid: Pid): void {
    this.expectedSeqs.forget(senderPid);
  }

  getState(): MailboxState {
    return {
      ownerPid: this.ownerPid,
      messages: this.messages.map(messageToState),
      expectedSeqs: this.expectedSeqs.getState(),
      counts: { ...this.counts },
    };
  }

  /** Replaces the contents with untrusted state (e.g. arriving with a migrating process). */
  setState(state: MailboxState): void {
    const record = readRecord(state, "mailbox");
    const ownerPid = readPid(record.ownerPid, "mailbox.ownerPid");
    if (ownerPid !== this.ownerPid) {
      throw new IpcStateError(`mailbox.ownerPid: ${ownerPid}, this mailbox is ${this.ownerPid}`);
    }
    const messages = readArray(record.messages, "mailbox.messages", this.capacity).map(
      (entry, index) => {
        const message = messageFromState(entry, `mailbox.messages[${index}]`);
        if (message.receiverPid !== ownerPid) {
          throw new IpcStateError(
            `mailbox.messages[${index}].receiverPid: ${message.receiverPid}, owner is ${ownerPid}`,
          );
        }
        return message;
      },
    );
    const expectedSeqs = new PairSequenceTable(this.expectedSeqs.peersMax);
    expectedSeqs.setState(record.expectedSeqs as PairSequenceTableState, "mailbox.expectedSeqs");
    // Queued messages of one pair must be accepted ones, in increasing order (per-pair FIFO).
    // A sender that ended was forgotten (forgetSender) with its messages left queued: its pair
    // has no entry, and a later process with its pid starts again from 0 behind them, every
    // one of its messages still queued (the older ones are taken first).
    const lastSeqBySender = new Map<Pid, number>();
    const restartedAt = new Map<Pid, number>();
    messages.forEach((message, index) => {
      const last = lastSeqBySender.get(message.senderPid);
      if (last !== undefined && message.pairSeq <= last) {
        if (message.pairSeq !== 0) failOrder(index, message);
        restartedAt.set(message.senderPid, index);
      }
      lastSeqBySender.set(message.senderPid, message.pairSeq);
    });
    messages.forEach((message, index) => {
      const sender = message.senderPid;
      const restart = restartedAt.get(sender);
      if (!expectedSeqs.has(sender) || index < (restart ?? 0)) return;
      const expected = expectedSeqs.nextSeq(sender);
      if (message.pairSeq >= expected) failOrder(index, message);
      if (restart !== undefined && message.pairSeq === lastSeqBySender.get(sender)) {
        if (message.pairSeq !== expected - 1) failOrder(index, message);
      }
    });
    const countsRecord = readRecord(record.counts, "mailbox.counts");
    const counts = zeroCounts();
    for (const name of countNames) {
      counts[name] = readInteger(
        countsRecord[name],
        `mailbox.counts.${name}`,
        0,
        Number.MAX_SAFE_INTEGER,
      );
    }
    this.messages = messages;
    this.expectedSeqs = expectedSeqs;
    this.counts = counts;
  }

  private indexOf(fromPid: Pid): number {
    for (let index = 0; index < this.messages.length; index++) {
      if (filterAccepts(fromPid, this.messages[index]!.senderPid)) return index;
    }
    return -1;
  }
}

function failOrder(index: number, message: Message): never {
  throw new IpcStateError(
    `mailbox.messages[${index}].pairSeq: ${message.pairSeq} out of order for sender ${message.senderPid}`,
  );
}
