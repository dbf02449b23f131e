// Pair sequence numbers and the local send path: the sender's stamp is used up only when the
// receiver's mailbox took the message, so refusals leave no gap.

import { describe, expect, it } from "vitest";
import { sendLocal } from "../../../kernel/ipc/local-send.ts";
import { Mailbox } from "../../../kernel/ipc/mailbox.ts";
import {
  PairSequenceTable,
  type PairSequenceTableState,
} from "../../../kernel/ipc/pair-sequence-table.ts";
import { peersPerProcessMax } from "../../../kernel/limits.ts";
import { makePid, pidNone } from "../../../kernel/process/pid.ts";

const sender = makePid(0, 1);
const receiver = makePid(0, 2);
const other = makePid(2, 9);

describe("PairSequenceTable", () => {
  it("starts every pair at 0 and counts each advance", () => {
    const table = new PairSequenceTable();
    expect(table.peersMax).toBe(peersPerProcessMax);
    expect(table.nextSeq(receiver)).toBe(0);
    table.advance(receiver);
    table.advance(receiver);
    expect(table.nextSeq(receiver)).toBe(2);
    expect(table.nextSeq(other)).toBe(0);
    expect(table.size).toBe(1);
  });

  it("bounds the peers it knows, and forgetting one makes room", () => {
    const table = new PairSequenceTable(1);
    table.advance(receiver);
    expect(table.canAdvance(receiver)).toBe(true);
    expect(table.canAdvance(other)).toBe(false);
    expect(() => table.advance(other)).toThrow(/full/);
    table.forget(receiver);
    expect(table.nextSeq(receiver)).toBe(0);
    expect(table.canAdvance(other)).toBe(true);
  });

  it("round-trips through JSON and names the bad field of malformed state", () => {
    const table = new PairSequenceTable();
    table.advance(other);
    table.advance(receiver);
    table.advance(other);
    const copy = new PairSequenceTable();
    copy.setState(JSON.parse(JSON.stringify(table.getState())));
    expect(copy.getState()).toEqual({
      entries: [
        [other, 2],
        [receiver, 1],
      ],
    });
    const bad: [unknown, string][] = [
      [
        {
          entries: [
            [receiver, 1],
            [receiver, 2],
          ],
        },
        "links.entries[1][0]: peer",
      ],
      [{ entries: [[0, 1]] }, "links.entries[0][0]: expected a PID"],
      [{ entries: [[receiver, 0.5]] }, "links.entries[0][1]"],
      [{ entries: [[receiver]] }, "links.entries[0][1]"],
      [{}, "links.entries: expected an array"],
    ];
    for (const [state, message] of bad) {
      expect(() => copy.setState(state as PairSequenceTableState, "links")).toThrow(message);
    }
    expect(() => new PairSequenceTable(1).setState(table.getState())).toThrow("at most 1");
  });
});

describe("sendLocal", () => {
  it("stamps sender, receiver and the pair's next number, and uses it up on delivery", () => {
    const seqs = new PairSequenceTable();
    const box = new Mailbox(receiver);
    expect(sendLocal(sender, seqs, box, Uint8Array.of(1))).toBe("delivered");
    expect(sendLocal(sender, seqs, box, Uint8Array.of(2))).toBe("delivered");
    expect(box.take(pidNone)).toMatchObject({
      senderPid: sender,
      receiverPid: receiver,
      pairSeq: 0,
    });
    expect(box.take(pidNone)).toMatchObject({ pairSeq: 1 });
    expect(seqs.nextSeq(receiver)).toBe(2);
  });

  it("keeps the number when the mailbox is full, so the next accepted send has no gap", () => {
    const seqs = new PairSequenceTable();
    const box = new Mailbox(receiver, 1);
    sendLocal(sender, seqs, box, Uint8Array.of(1));
    expect(sendLocal(sender, seqs, box, Uint8Array.of(2))).toBe("full");
    expect(seqs.nextSeq(receiver)).toBe(1);
    box.take(pidNone);
    expect(sendLocal(sender, seqs, box, Uint8Array.of(3))).toBe("delivered");
    expect(box.take(pidNone)).toMatchObject({ pairSeq: 1, bytes: Uint8Array.of(3) });
  });

  it("refuses a new peer when the sender's table is full, before stamping", () => {
    const seqs = new PairSequenceTable(1);
    sendLocal(sender, seqs, new Mailbox(other), Uint8Array.of());
    const box = new Mailbox(receiver);
    expect(sendLocal(sender, seqs, box, Uint8Array.of())).toBe("peers-full");
    expect(box.length).toBe(0);
  });

  it("refuses when the receiver's table is full, without using the number", () => {
    const seqs = new PairSequenceTable();
    const box = new Mailbox(receiver, 4, 1);
    sendLocal(other, new PairSequenceTable(), box, Uint8Array.of());
    expect(sendLocal(sender, seqs, box, Uint8Array.of())).toBe("peers-full");
    expect(seqs.nextSeq(receiver)).toBe(0);
  });

  it("stops on a disagreement between the two ends instead of losing or repeating", () => {
    const seqs = new PairSequenceTable();
    const box = new Mailbox(receiver);
    sendLocal(sender, seqs, box, Uint8Array.of());
    box.forgetSender(sender);
    expect(() => sendLocal(sender, seqs, box, Uint8Array.of())).toThrow(
      /sender stamps 1, receiver expects 0/,
    );
  });
});
