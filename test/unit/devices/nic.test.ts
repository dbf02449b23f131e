// The NIC: sends build Ethernet II frames with their FCS and are refused (and counted) when
// the transmit queue is full or a field is bad; a Receive is checked (FCS, address, ring room)
// and dropped and counted on failure, never thrown; IRQ 1 and 2 stay raised until acknowledged;
// getState/setState round-trips everything. A flood never throws.

import { describe, expect, it } from "vitest";
import {
  Nic,
  nicReceiveIrq,
  nicReceiveIrqBit,
  nicTransmitDoneIrq,
  nicTransmitDoneIrqBit,
} from "../../../vm/devices/nic.ts";
import { fcsMatches, parseFrame } from "../../../vm/fabric/ethernet-frame.ts";
import { broadcastMac, macForNode } from "../../../vm/fabric/mac-address.ts";
import { type FrameEvent, FrameEventKind } from "../../../vm/fabric/medium.ts";
import { frameBetween, testEtherType } from "../../support/frames.ts";

function receiveEvent(node: number, bytes: Uint8Array, atNs: number, seq = 0): FrameEvent {
  return { kind: FrameEventKind.Receive, node, atNs, sourceNode: 9, seq, bytes, delivered: true };
}

function doneEvent(node: number, atNs: number, delivered: boolean, seq = 0): FrameEvent {
  return {
    kind: FrameEventKind.TransmitDone,
    node,
    atNs,
    sourceNode: node,
    seq,
    bytes: new Uint8Array(0),
    delivered,
  };
}

describe("Nic", () => {
  it("builds frames with an FCS, numbers them from 0, and hands them over once", () => {
    const nic = new Nic(3);
    expect(nic.mac).toBe(macForNode(3));
    expect(nic.send(macForNode(1), testEtherType, Uint8Array.of(1, 2, 3), 500)).toBe(true);
    expect(nic.send(broadcastMac, testEtherType, new Uint8Array(1500), 700)).toBe(true);
    const out = nic.takeOutgoing();
    expect(out.map((f) => [f.sourceNode, f.seq, f.handedAtNs, f.bytes.length])).toEqual([
      [3, 0, 500, 64],
      [3, 1, 700, 1518],
    ]);
    expect(fcsMatches(out[0]!.bytes)).toBe(true);
    expect(parseFrame(out[0]!.bytes).sourceMac).toBe(macForNode(3));
    expect(nic.takeOutgoing()).toEqual([]);
    expect(nic.counters.framesSent).toBe(2);
  });

  it("refuses and counts a send beyond the transmit queue or with a bad field", () => {
    const nic = new Nic(0, { txQueueFrames: 2 });
    const payload = new Uint8Array(10);
    expect(nic.send(macForNode(1), testEtherType, payload, 0)).toBe(true);
    expect(nic.send(macForNode(1), testEtherType, payload, 0)).toBe(true);
    expect(nic.send(macForNode(1), testEtherType, payload, 0)).toBe(false);
    expect(nic.send(macForNode(1), testEtherType, new Uint8Array(1501), 0)).toBe(false);
    expect(nic.send(macForNode(1), 0x0100, payload, 0)).toBe(false);
    expect(nic.counters).toMatchObject({ txQueueFullRefusals: 1, invalidFrameRefusals: 2 });
    // A transmit-done frees a slot and raises IRQ 2; a failed one is counted.
    nic.schedule(doneEvent(0, 100, false));
    nic.deliverDue(100);
    expect(nic.counters.transmitFailures).toBe(1);
    expect(nic.raisedIrqMask()).toBe(nicTransmitDoneIrqBit);
    expect(nic.send(macForNode(1), testEtherType, payload, 200)).toBe(true);
    expect(nic.takeOutgoing().map((f) => f.seq)).toEqual([0, 1, 2]);
  });

  it("checks FCS, address and ring room on receive, dropping and counting", () => {
    const nic = new Nic(1, { rxRingFrames: 2 });
    const corrupted = frameBetween(0, 1, 20);
    corrupted[30]! ^= 4;
    nic.schedule(receiveEvent(1, corrupted, 10));
    nic.schedule(receiveEvent(1, frameBetween(0, 2, 20), 20));
    nic.schedule(receiveEvent(1, frameBetween(0, 1, 20, 7), 30));
    nic.schedule(receiveEvent(1, frameBetween(0, -1, 20, 8), 40));
    nic.schedule(receiveEvent(1, frameBetween(0, 1, 20, 9), 50));
    nic.deliverDue(45);
    expect(nic.nextEventNs()).toBe(50);
    nic.deliverDue(50);
    expect(nic.counters).toMatchObject({
      fcsDrops: 1,
      addressDrops: 1,
      framesReceived: 2,
      rxOverflowDrops: 1,
    });
    expect(nic.raisedIrqMask()).toBe(nicReceiveIrqBit);
    const first = nic.receive()!;
    expect(first).toMatchObject({
      sourceMac: macForNode(0),
      destinationMac: macForNode(1),
      atNs: 30,
    });
    expect(first.etherType).toBe(testEtherType);
    // 20 bytes of payload, then the padding up to 46.
    expect(first.payload).toEqual(new Uint8Array(46).fill(7, 0, 20));
    expect(nic.receive()!.destinationMac).toBe(broadcastMac);
    expect(nic.receive()).toBeUndefined();
  });

  it("keeps each IRQ line raised until it is acknowledged", () => {
    const nic = new Nic(0);
    nic.send(macForNode(1), testEtherType, new Uint8Array(1), 0);
    nic.schedule(receiveEvent(0, frameBetween(1, 0, 1), 5));
    nic.schedule(doneEvent(0, 5, true));
    nic.deliverDue(5);
    expect(nic.raisedIrqMask()).toBe(nicReceiveIrqBit | nicTransmitDoneIrqBit);
    nic.acknowledge(nicReceiveIrq);
    expect(nic.raisedIrqMask()).toBe(nicTransmitDoneIrqBit);
    nic.acknowledge(nicTransmitDoneIrq);
    expect(nic.raisedIrqMask()).toBe(0);
    nic.schedule(doneEvent(0, 6, true));
    nic.deliverDue(6);
    nic.acknowledge();
    expect(nic.raisedIrqMask()).toBe(0);
  });

  it("orders scheduled events by time and refuses another node's", () => {
    const nic = new Nic(2);
    nic.schedule(receiveEvent(2, frameBetween(0, 2, 1, 1), 300));
    nic.schedule(receiveEvent(2, frameBetween(0, 2, 1, 2), 100));
    nic.schedule(receiveEvent(2, frameBetween(0, 2, 1, 3), 300));
    nic.deliverDue(1000);
    expect([1, 2, 3].map(() => nic.receive()!.payload[0])).toEqual([2, 1, 3]);
    expect(() => nic.schedule(receiveEvent(3, frameBetween(0, 3, 1), 5))).toThrow(RangeError);
  });

  it("round-trips its state", () => {
    const nic = new Nic(4, { rxRingFrames: 3 });
    nic.send(macForNode(1), testEtherType, new Uint8Array(5), 0);
    for (let i = 0; i < 5; i++) nic.schedule(receiveEvent(4, frameBetween(1, 4, 3, i), i * 10));
    nic.deliverDue(25);
    nic.receive();
    const state = structuredClone(nic.getState());
    const copy = new Nic(4, { rxRingFrames: 3 });
    copy.setState(state);
    expect(copy.getState()).toEqual(nic.getState());
    copy.deliverDue(100);
    nic.deliverDue(100);
    expect(copy.getState()).toEqual(nic.getState());
    expect(copy.takeOutgoing()).toHaveLength(1);
    expect(() => new Nic(5, { rxRingFrames: 3 }).setState(state)).toThrow(RangeError);
    expect(() => new Nic(4).setState(state)).toThrow(RangeError);
  });

  it("refuses ring and queue sizes outside 1..4096", () => {
    expect(() => new Nic(0, { rxRingFrames: 0 })).toThrow(RangeError);
    expect(() => new Nic(0, { txQueueFrames: 4097 })).toThrow(RangeError);
    expect(() => new Nic(-1)).toThrow(RangeError);
  });

  it("survives a flood of good, foreign, corrupt and truncated frames", () => {
    const nic = new Nic(0, { rxRingFrames: 8 });
    let seed = 12345;
    const nextByte = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed >>> 24;
    };
    for (let i = 0; i < 20_000; i++) {
      const shape = i % 4;
      let bytes = frameBetween(1, shape === 1 ? 5 : 0, i % 1501, i & 0xff);
      if (shape === 2) bytes[nextByte() % bytes.length]! ^= 1 << (nextByte() & 7);
      if (shape === 3) bytes = bytes.subarray(0, nextByte() % 20);
      nic.schedule(receiveEvent(0, bytes, i, i));
      if (i % 7 === 0) nic.receive();
    }
    expect(() => nic.deliverDue(Number.POSITIVE_INFINITY)).not.toThrow();
    const c = nic.counters;
    expect(c.framesReceived + c.fcsDrops + c.addressDrops + c.rxOverflowDrops).toBe(20_000);
    expect(nic.rxFrames).toBe(8);
  });
});
