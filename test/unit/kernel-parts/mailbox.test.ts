// The mailbox (DESIGN.md §4, IPC): bounded FIFO, source filters, refusal when full, and the
// pair sequence check that drops duplicates and refuses gaps; its state survives JSON.

import { describe, expect, it } from "vitest";
import { filterAccepts, Mailbox, type MailboxState } from "../../../kernel/ipc/mailbox.ts";
import type { Message } from "../../../kernel/ipc/message.ts";
import { mailboxMessagesMax, messageBytesMax } from "../../../kernel/limits.ts";
import { makePid, pidNone } from "../../../kernel/process/pid.ts";

const owner = makePid(0, 1);
const alice = makePid(0, 2);
const bob = makePid(1, 3);

function message(senderPid: number, pairSeq: number, ...bytes: number[]): Message {
  return { senderPid, receiverPid: owner, pairSeq, bytes: Uint8Array.from(bytes) };
}

describe("Mailbox", () => {
  it("gives messages back oldest first", () => {
    const box = new Mailbox(owner);
    expect(box.deliver(message(alice, 0, 10))).toBe("delivered");
    expect(box.deliver(message(alice, 1, 11))).toBe("delivered");
    expect(box.deliver(message(bob, 0, 20))).toBe("delivered");
    expect([...box.take(pidNone)!.bytes]).toEqual([10]);
    expect([...box.take(pidNone)!.bytes]).toEqual([11]);
    expect([...box.take(pidNone)!.bytes]).toEqual([20]);
    expect(box.take(pidNone)).toBeUndefined();
  });

  it("takes the oldest message of the filtered sender and leaves the others in order", () => {
    const box = new Mailbox(owner);
    box.deliver(message(alice, 0, 1));
    box.deliver(message(bob, 0, 2));
    box.deliver(message(alice, 1, 3));
    expect(box.take(bob)?.bytes[0]).toBe(2);
    expect(box.take(bob)).toBeUndefined();
    expect(box.peek(alice)?.bytes[0]).toBe(1);
    expect(box.length).toBe(2);
    expect(box.take(alice)?.bytes[0]).toBe(1);
    expect(box.take(pidNone)?.bytes[0]).toBe(3);
    expect(filterAccepts(pidNone, bob)).toBe(true);
    expect(filterAccepts(alice, bob)).toBe(false);
  });

  it("holds mailboxMessagesMax by default and refuses the next without using its number", () => {
    const box = new Mailbox(owner);
    expect(box.capacity).toBe(mailboxMessagesMax);
    for (let seq = 0; seq < mailboxMessagesMax; seq++) {
      expect(box.deliver(message(alice, seq))).toBe("delivered");
    }
    expect(box.deliver(message(alice, mailboxMessagesMax))).toBe("full");
    expect(box.expectedSeq(alice)).toBe(mailboxMessagesMax);
    box.take(pidNone);
    expect(box.deliver(message(alice, mailboxMessagesMax))).toBe("delivered");
    expect(box.stats.refusedFull).toBe(1);
    expect(box.stats.queuedPeak).toBe(mailboxMessagesMax);
  });

  it("drops a repeated pair number as a duplicate and refuses a skipped one as a gap", () => {
    const box = new Mailbox(owner, 4);
    expect(box.deliver(message(alice, 0, 1))).toBe("delivered");
    expect(box.deliver(message(alice, 0, 1))).toBe("duplicate");
    expect(box.deliver(message(alice, 2, 3))).toBe("gap");
    expect(box.deliver(message(bob, 1))).toBe("gap");
    expect(box.length).toBe(1);
    expect(box.stats).toMatchObject({ delivered: 1, duplicatesDropped: 1, gapsRefused: 2 });
  });

  it("recognises a duplicate even when full, so a retransmission is never refused as full", () => {
    const box = new Mailbox(owner, 1);
    box.deliver(message(alice, 0));
    expect(box.deliver(message(alice, 0))).toBe("duplicate");
  });

  it("refuses a new sender when its pair table is full, but not a known one", () => {
    const box = new Mailbox(owner, 8, 1);
    expect(box.deliver(message(alice, 0))).toBe("delivered");
    expect(box.deliver(message(bob, 0))).toBe("peers-full");
    expect(box.deliver(message(alice, 1))).toBe("delivered");
    box.forgetSender(alice);
    expect(box.deliver(message(bob, 0))).toBe("delivered");
  });

  it("starts a forgotten sender's pair afresh and keeps its queued messages", () => {
    const box = new Mailbox(owner);
    box.deliver(message(alice, 0, 1));
    box.forgetSender(alice);
    expect(box.expectedSeq(alice)).toBe(0);
    expect(box.deliver(message(alice, 0, 2))).toBe("delivered");
    expect(box.take(alice)?.bytes[0]).toBe(1);
    expect(box.take(alice)?.bytes[0]).toBe(2);
  });

  it("asserts that messages are addressed to its owner and within the ABI size", () => {
    const box = new Mailbox(owner);
    expect(() => box.deliver({ ...message(alice, 0), receiverPid: bob })).toThrow(/mailbox of pid/);
    const tooBig = { ...message(alice, 0), bytes: new Uint8Array(messageBytesMax + 1) };
    expect(() => box.deliver(tooBig)).toThrow(/exceeds 4096/);
    expect(box.deliver({ ...message(alice, 0), bytes: new Uint8Array(messageBytesMax) })).toBe(
      "delivered",
    );
  });

  it("travels as JSON: the copy queues, filters and expects exactly as the original", () => {
    const box = new Mailbox(owner);
    box.deliver(message(alice, 0, 0xde, 0xad));
    box.deliver(message(bob, 0, 0xbe));
    box.deliver(message(alice, 1));
    box.take(bob);
    const copy = new Mailbox(owner);
    copy.setState(JSON.parse(JSON.stringify(box.getState())));
    expect(copy.getState()).toEqual(box.getState());
    expect(copy.deliver(message(bob, 0))).toBe("duplicate");
    expect(copy.deliver(message(bob, 1, 7))).toBe("delivered");
    expect([...copy.take(alice)!.bytes]).toEqual([0xde, 0xad]);
    expect(copy.take(alice)!.bytes.length).toBe(0);
    expect(copy.take(pidNone)?.bytes[0]).toBe(7);
  });

  it("travels with a forgotten sender's messages queued, and those of a process reusing its pid", () => {
    // A sender that ends is forgotten while its messages stay queued (a migrating process
    // frozen with its ended child's last message in its mailbox was refused at install).
    const box = new Mailbox(owner);
    box.deliver(message(alice, 0, 1));
    box.deliver(message(alice, 1, 2));
    box.take(alice);
    box.forgetSender(alice);
    const forgotten = new Mailbox(owner);
    forgotten.setState(JSON.parse(JSON.stringify(box.getState())));
    expect(forgotten.getState()).toEqual(box.getState());
    box.deliver(message(alice, 0, 3));
    box.deliver(message(alice, 1, 4));
    const reused = new Mailbox(owner);
    reused.setState(JSON.parse(JSON.stringify(box.getState())));
    expect([1, 2, 3].map(() => reused.take(alice)?.bytes[0])).toEqual([2, 3, 4]);
    const state = box.getState();
    expect(() => reused.setState(withMessage(state, 2, { pairSeq: 0 }) as MailboxState)).toThrow(
      "mailbox.messages[2].pairSeq",
    );
    expect(() => reused.setState(withMessage(state, 1, { pairSeq: 1 }) as MailboxState)).toThrow(
      "mailbox.messages[1].pairSeq",
    );
  });

  it("rejects malformed state with one line naming the field, and keeps its contents", () => {
    const box = new Mailbox(owner);
    box.deliver(message(alice, 0, 1));
    box.deliver(message(alice, 1, 2));
    const good = box.getState();
    const cases: [string, (state: MailboxState) => unknown][] = [
      ["mailbox.ownerPid", (s) => ({ ...s, ownerPid: bob })],
      ["mailbox.messages[1].bytesHex", (s) => withMessage(s, 1, { bytesHex: "xyz" })],
      ["mailbox.messages[0].senderPid", (s) => withMessage(s, 0, { senderPid: 0 })],
      ["mailbox.messages[1].pairSeq", (s) => withMessage(s, 1, { pairSeq: 0 })],
      ["mailbox.messages[1].pairSeq", (s) => withMessage(s, 1, { pairSeq: 2 })],
      ["mailbox.messages[0].receiverPid", (s) => withMessage(s, 0, { receiverPid: bob })],
      ["mailbox.messages", (s) => ({ ...s, messages: "none" })],
      [
        "mailbox.expectedSeqs.entries[0][1]",
        (s) => ({ ...s, expectedSeqs: { entries: [[alice, -1]] } }),
      ],
      ["mailbox.counts.taken", (s) => ({ ...s, counts: { ...s.counts, taken: 1.5 } })],
      ["mailbox", () => null],
    ];
    for (const [field, corrupt] of cases) {
      expect(() => box.setState(corrupt(good) as MailboxState)).toThrow(field);
    }
    const small = new Mailbox(owner, 1);
    expect(() => small.setState(good)).toThrow("mailbox.messages: 2 entries, at most 1");
    expect(box.getState()).toEqual(good);
  });
});

function withMessage(state: MailboxState, index: number, change: object): unknown {
  const messages = state.messages.map((entry, at) =>
    at === index ? { ...entry, ...change } : entry,
  );
  return { ...state, messages };
}
