// Invariant (DESIGN.md §7.2, one node): whatever the interleaving of sends, receives with
// random source filters, retransmitted duplicates and mailbox migrations (state through JSON),
// every message a mailbox accepted is received exactly once, in its pair's order, and a
// refused one never. A receive with a filter returns a message iff one from that filter waits.
// Replay a failure with the STERNA_SEED printed next to it.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sendLocal } from "../../../kernel/ipc/local-send.ts";
import { filterAccepts, Mailbox } from "../../../kernel/ipc/mailbox.ts";
import type { Message } from "../../../kernel/ipc/message.ts";
import { PairSequenceTable } from "../../../kernel/ipc/pair-sequence-table.ts";
import { makePid, pidNone } from "../../../kernel/process/pid.ts";
import { checkProperty } from "../../support/seeded-property.ts";

const processCount = 4;
const pids = [makePid(0, 1), makePid(0, 2), makePid(1, 1), makePid(3, 7)];

type Step =
  | { kind: "send"; from: number; to: number; padBytes: number }
  | { kind: "receive"; at: number; filter: number }
  | { kind: "retransmit"; at: number; pick: number }
  | { kind: "migrate"; at: number };

const processIndex = fc.integer({ min: 0, max: processCount - 1 });
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("send" as const),
      from: processIndex,
      to: processIndex,
      padBytes: fc.integer({ min: 0, max: 12 }),
    }),
  },
  // filter: -1 is "any", otherwise a sender index
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("receive" as const),
      at: processIndex,
      filter: fc.integer({ min: -1, max: processCount - 1 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("retransmit" as const),
      at: processIndex,
      pick: fc.nat(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("migrate" as const), at: processIndex }) },
);

/** The payload names the message: a serial number in the first 4 bytes, then padding. */
function payload(serial: number, padBytes: number): Uint8Array {
  const bytes = new Uint8Array(4 + padBytes);
  new DataView(bytes.buffer).setUint32(0, serial, true);
  return bytes;
}

function serialOf(message: Message): number {
  return new DataView(message.bytes.buffer, message.bytes.byteOffset).getUint32(0, true);
}

/** Per receiver, per sender: the serials accepted and not yet received, oldest first. */
type Waiting = number[][][];

function runSteps(steps: Step[], mailboxCapacity: number): void {
  const mailboxes = pids.map((pid) => new Mailbox(pid, mailboxCapacity));
  const outgoing = pids.map(() => new PairSequenceTable());
  const waiting: Waiting = pids.map(() => pids.map((): number[] => []));
  const refused = new Set<number>();
  const deliveredTo = pids.map((): Message[] => []);
  let serial = 0;

  // Exactly once and FIFO per pair: a received message is the oldest waiting one of its pair.
  const receive = (at: number, message: Message) => {
    const from = pids.indexOf(message.senderPid);
    expect(message.receiverPid).toBe(pids[at]);
    expect(refused.has(serialOf(message))).toBe(false);
    expect(serialOf(message)).toBe(waiting[at]![from]![0]);
    waiting[at]![from]!.shift();
  };

  for (const s of steps) {
    if (s.kind === "send") {
      serial++;
      const bytes = payload(serial, s.padBytes);
      const receiverPid = pids[s.to]!;
      const outcome = sendLocal(pids[s.from]!, outgoing[s.from]!, mailboxes[s.to]!, bytes);
      if (outcome === "delivered") {
        waiting[s.to]![s.from]!.push(serial);
        const pairSeq = outgoing[s.from]!.nextSeq(receiverPid) - 1;
        deliveredTo[s.to]!.push({ senderPid: pids[s.from]!, receiverPid, pairSeq, bytes });
      } else {
        refused.add(serial);
      }
    } else if (s.kind === "receive") {
      const filterPid = s.filter < 0 ? pidNone : pids[s.filter]!;
      const candidates = waiting[s.at]!.flatMap((serials, from) =>
        filterAccepts(filterPid, pids[from]!) ? serials : [],
      );
      const message = mailboxes[s.at]!.take(filterPid);
      expect(message !== undefined).toBe(candidates.length > 0);
      if (message) {
        expect(filterAccepts(filterPid, message.senderPid)).toBe(true);
        // Serials grow with arrival, so "the oldest the filter accepts" is the smallest.
        expect(serialOf(message)).toBe(Math.min(...candidates));
        receive(s.at, message);
      }
    } else if (s.kind === "retransmit") {
      const history = deliveredTo[s.at]!;
      if (history.length > 0) {
        const again = history[s.pick % history.length]!;
        expect(mailboxes[s.at]!.deliver({ ...again })).toBe("duplicate");
      }
    } else {
      const movedBox = new Mailbox(pids[s.at]!, mailboxCapacity);
      movedBox.setState(JSON.parse(JSON.stringify(mailboxes[s.at]!.getState())));
      mailboxes[s.at] = movedBox;
      const movedSeqs = new PairSequenceTable();
      movedSeqs.setState(JSON.parse(JSON.stringify(outgoing[s.at]!.getState())));
      outgoing[s.at] = movedSeqs;
    }
  }
  // Nothing lost: draining every mailbox receives exactly what is still waiting.
  for (let at = 0; at < processCount; at++) {
    for (let m = mailboxes[at]!.take(pidNone); m; m = mailboxes[at]!.take(pidNone)) receive(at, m);
    expect(waiting[at]!.flat()).toEqual([]);
  }
}

describe("IPC exactly-once, FIFO per pair", () => {
  it("holds for random interleavings of send, filtered receive, duplicates and migration", () => {
    checkProperty(
      fc.property(
        fc.array(step, { maxLength: 300 }),
        fc.integer({ min: 1, max: 5 }),
        (steps, capacity) => {
          runSteps(steps, capacity);
        },
      ),
      "test/unit/kernel-parts/ipc-exactly-once.property.test.ts",
      300,
    );
  });
});
