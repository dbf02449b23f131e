// The kernel transport alone, over an in-memory link with a virtual clock: whatever the link
// loses or duplicates, every message arrives exactly once and in order; a peer that never
// answers is declared failed; malformed frames are dropped and counted.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type ArrivedPayload,
  broadcastNode,
  type FramePort,
} from "../../../kernel/net/frame-port.ts";
import {
  Transport,
  transportHeaderBytes,
  transportLimitsDefault,
} from "../../../kernel/net/transport.ts";
import { checkProperty } from "../../support/seeded-property.ts";

const linkLatencyNs = 50_000;

interface InFlight {
  atNs: number;
  order: number;
  to: number;
  arrived: ArrivedPayload;
}

/** Two or more nodes joined by a link that may lose and duplicate frames (seeded by `draw`). */
class Link {
  readonly inFlight: InFlight[] = [];
  private order = 0;
  nowNs = 0;

  constructor(
    private readonly draw: () => number,
    private readonly lossRate: number,
    private readonly duplicateRate: number,
  ) {}

  port(node: number, queue: ArrivedPayload[]): FramePort {
    return {
      payloadBytesMax: 200,
      sendFrame: (destination, payload) => {
        const copies = this.draw() < this.lossRate ? 0 : this.draw() < this.duplicateRate ? 2 : 1;
        for (let copy = 0; copy < copies; copy++) {
          this.inFlight.push({
            atNs: this.nowNs + linkLatencyNs * (copy + 1),
            order: this.order++,
            to: destination,
            arrived: { sourceNode: node, payload: payload.slice() },
          });
        }
        return true;
      },
      receiveFrame: () => queue.shift(),
      acknowledgeInterrupt: () => {},
      receiveDrops: () => ({ fcs: 0, overflow: 0 }),
    };
  }
}

function message(index: number, bytes: number): Uint8Array {
  const out = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) out[i] = (index * 31 + i) & 0xff;
  out[0] = index & 0xff;
  return out;
}

describe("kernel transport", () => {
  it("delivers every message exactly once, in order, over a lossy duplicating link", () => {
    checkProperty(
      fc.property(
        fc.integer(),
        // Loss up to 20 %: at 30 % one frame was lost 11 times running (seed 1257288521), and
        // the peer declared failed, by design, after retriesMax timeouts with no progress: 3 of
        // 6,000 runs of that counterexample's 11 messages over other seeds, 0 of 6,000 at 20 %.
        fc.double({ min: 0, max: 0.2, noNaN: true }),
        fc.double({ min: 0, max: 0.3, noNaN: true }),
        fc.array(fc.integer({ min: 0, max: 900 }), { minLength: 1, maxLength: 30 }),
        (seed, lossRate, duplicateRate, sizes) => {
          let state = seed >>> 0;
          const draw = () => {
            state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
            return state / 4294967296;
          };
          const link = new Link(draw, lossRate, duplicateRate);
          const queues: ArrivedPayload[][] = [[], []];
          const received: Uint8Array[] = [];
          const transports = [0, 1].map(
            (node) =>
              new Transport(link.port(node, queues[node]!), {
                onMessage: (_source, bytes) => received.push(bytes),
                onDatagram: () => {},
                onPeerFailed: () => {
                  throw new Error("peer declared failed on a link that still works");
                },
              }),
          );
          const sent = sizes.map((size, index) => message(index, size));
          for (const bytes of sent) expect(transports[0]!.send(1, bytes, 0)).toBe(true);
          for (
            let step = 0;
            step < 200_000 && (received.length < sent.length || transports[0]!.busy);
            step++
          ) {
            link.inFlight.sort((a, b) => a.atNs - b.atNs || a.order - b.order);
            const next = link.inFlight[0];
            const timerNs = Math.min(transports[0]!.nextTimerNs(), transports[1]!.nextTimerNs());
            if (next && next.atNs <= timerNs) {
              link.inFlight.shift();
              link.nowNs = next.atNs;
              queues[next.to]!.push(next.arrived);
              transports[next.to]!.service(link.nowNs);
            } else if (Number.isFinite(timerNs)) {
              link.nowNs = timerNs;
              for (const transport of transports) transport.fireTimers(link.nowNs);
            } else {
              break;
            }
          }
          expect(received.length).toBe(sent.length);
          expect(received).toEqual(sent);
        },
      ),
      "test/unit/net/transport.test.ts",
      60,
    );
  });

  it("declares a peer failed after its retries, and refuses to queue more to it", () => {
    const failed: number[] = [];
    const port: FramePort = {
      payloadBytesMax: 200,
      sendFrame: () => true,
      receiveFrame: () => undefined,
      acknowledgeInterrupt: () => {},
      receiveDrops: () => ({ fcs: 0, overflow: 0 }),
    };
    const transport = new Transport(port, {
      onMessage: () => {},
      onDatagram: () => {},
      onPeerFailed: (node) => failed.push(node),
    });
    expect(transport.send(3, message(1, 10), 0)).toBe(true);
    let nowNs = 0;
    for (let round = 0; round <= transportLimitsDefault.retriesMax; round++) {
      nowNs = transport.nextTimerNs();
      transport.fireTimers(nowNs);
    }
    expect(failed).toEqual([3]);
    expect(transport.hasFailed(3)).toBe(true);
    expect(transport.send(3, message(2, 10), nowNs)).toBe(false);
    expect(transport.hasRoomFor(3, 1)).toBe(false);
    expect(transport.busy).toBe(false);
  });

  it("says how many bytes are queued to a peer and whether a message fits, as acks drain it", () => {
    const toZero: ArrivedPayload[] = [];
    const toOne: ArrivedPayload[] = [];
    const portOf = (node: number, inbox: ArrivedPayload[], outbox: ArrivedPayload[]) => ({
      payloadBytesMax: 200,
      sendFrame: (_destination: number, payload: Uint8Array) => {
        outbox.push({ sourceNode: node, payload: payload.slice() });
        return true;
      },
      receiveFrame: () => inbox.shift(),
      acknowledgeInterrupt: () => {},
      receiveDrops: () => ({ fcs: 0, overflow: 0 }),
    });
    const limits = { ...transportLimitsDefault, queuedBytesMax: 1000 };
    const received: number[] = [];
    const handlers = (into: number[]) => ({
      onMessage: (_node: number, bytes: Uint8Array) => into.push(bytes.length),
      onDatagram: () => {},
      onPeerFailed: () => {},
    });
    const sender = new Transport(portOf(0, toZero, toOne), handlers([]), limits);
    const receiver = new Transport(portOf(1, toOne, toZero), handlers(received), limits);
    expect(sender.queuedBytesTo(1)).toBe(0);
    expect(sender.send(1, message(1, 600), 0)).toBe(true);
    expect(sender.queuedBytesTo(1)).toBe(600);
    expect(sender.hasRoomFor(1, 400)).toBe(true);
    expect(sender.hasRoomFor(1, 401)).toBe(false);
    expect(sender.send(1, message(2, 401), 0)).toBe(false);
    receiver.service(1);
    sender.service(2);
    expect(received).toEqual([600]);
    expect(sender.queuedBytesTo(1)).toBe(0);
    expect(sender.hasRoomFor(1, 1000)).toBe(true);
    expect(sender.hasRoomFor(1, 1001)).toBe(false);
  });

  it("takes a peer heard with a newer incarnation for restarted: the old one failed, seqs from 0", () => {
    const toZero: ArrivedPayload[] = [];
    const toOne: ArrivedPayload[] = [];
    const portOf = (node: number, inbox: ArrivedPayload[], outbox: ArrivedPayload[]) => ({
      payloadBytesMax: 200,
      sendFrame: (_destination: number, payload: Uint8Array) => {
        outbox.push({ sourceNode: node, payload: payload.slice() });
        return true;
      },
      receiveFrame: () => inbox.shift(),
      acknowledgeInterrupt: () => {},
      receiveDrops: () => ({ fcs: 0, overflow: 0 }),
    });
    const failed: number[] = [];
    const atOne: number[] = [];
    const zero = new Transport(portOf(0, toZero, toOne), {
      onMessage: () => {},
      onDatagram: () => {},
      onPeerFailed: (node) => failed.push(node),
    });
    const oneOf = (incarnation: number) =>
      new Transport(
        portOf(1, toOne, toZero),
        {
          onMessage: (_node, bytes) => atOne.push(bytes[0]!),
          onDatagram: () => {},
          onPeerFailed: () => {},
        },
        transportLimitsDefault,
        incarnation,
      );
    const one = oneOf(0);
    zero.send(1, message(1, 10), 0);
    one.service(1);
    const staleAck = { ...toZero[0]!, payload: toZero[0]!.payload.slice() };
    zero.service(2);
    expect(atOne).toEqual([1]);
    // Node 1 crashes and boots again: its transport starts empty, with incarnation 1.
    const restarted = oneOf(1);
    zero.send(1, message(2, 10), 3);
    restarted.service(4); // seq 1 from an unknown channel: not taken, acked "expecting 0"
    zero.service(5); // the ack carries incarnation 1: node 1 restarted, message 2 was lost
    expect(failed).toEqual([1]);
    expect(zero.hasFailed(1)).toBe(false);
    expect(zero.send(1, message(3, 10), 6)).toBe(true);
    restarted.service(7);
    expect(atOne).toEqual([1, 3]);
    // A frame of node 1's first life, arriving late, is dropped and counted.
    toZero.push(staleAck);
    zero.service(8);
    expect(zero.counters.staleIncarnationDropped).toBe(1);
    expect(failed).toEqual([1]);
  });

  it("drops and counts frames too short or of an unknown kind", () => {
    const queue: ArrivedPayload[] = [
      { sourceNode: 1, payload: new Uint8Array(3) },
      { sourceNode: 1, payload: new Uint8Array(transportHeaderBytes).fill(9) },
      { sourceNode: broadcastNode, payload: new Uint8Array(transportHeaderBytes) },
    ];
    const port: FramePort = {
      payloadBytesMax: 200,
      sendFrame: () => true,
      receiveFrame: () => queue.shift(),
      acknowledgeInterrupt: () => {},
      receiveDrops: () => ({ fcs: 0, overflow: 0 }),
    };
    const transport = new Transport(port, {
      onMessage: () => {
        throw new Error("no message expected");
      },
      onDatagram: () => {},
      onPeerFailed: () => {},
    });
    transport.service(0);
    expect(transport.counters.malformedDropped).toBe(3);
  });
});
