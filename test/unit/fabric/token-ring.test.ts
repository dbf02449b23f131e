// Token ring timing against docs/network.md's formulas. With rate R Mbit/s: byte time
// b = 8000/R ns, hop h = 500 ns of cable + 4 bit times, frame time T(n) = (n + 5) b for a
// frame of n bytes, ring of N stations. A frame handed at t is ready at r = t + 20 µs; it
// leaves when the free token next passes its station at s; the destination d hops downstream
// has it at s + T + d h (+ 20 µs receive latency); the sender's transmit-done comes when it
// has gone round: s + T + N h (+ 20 µs), and the token then goes on downstream.

import { describe, expect, it } from "vitest";
import { FrameEventKind } from "../../../vm/fabric/medium.ts";
import { nicLatencyNs } from "../../../vm/fabric/network-costs.ts";
import { TokenRing } from "../../../vm/fabric/token-ring.ts";
import { describeEvent, submission } from "../../support/frames.ts";

describe("token ring", () => {
  it("times one 1518-byte frame on an 80 Mbit/s ring of 4 (all numbers by hand)", () => {
    const ring = new TokenRing(4, 80);
    expect(ring.timing.byteNs).toBe(100);
    expect(ring.timing.hopNs).toBe(550);
    ring.submit(submission(0, 2, 1500, 0));
    // The token leaves node 3 at 0 and passes node 0 at 550 + k * 2200; ready at 40000 -> 40150.
    // T = 1523 * 100 = 152300, so sent at 192450; node 2 is 2 hops on: 193550 + 40000.
    // Back at node 0 after 4 hops: 194650 + 40000.
    expect(ring.eventsBefore(Number.POSITIVE_INFINITY).map(describeEvent)).toEqual([
      expect.stringMatching(/^233550 receive node 2 from 0#0 bytes 1518/),
      "234650 done node 0 from 0#0 delivered true",
    ]);
    expect(ring.counters).toMatchObject({
      framesSubmitted: 1,
      framesDelivered: 1,
      bytesCarried: 1518,
    });
  });

  it("has the lookahead NIC latency + minimum frame time + one hop", () => {
    expect(new TokenRing(4, 80).lookaheadNs).toBe(nicLatencyNs + 69 * 100 + 550);
    expect(new TokenRing(4, 16).lookaheadNs).toBe(nicLatencyNs + 69 * 500 + 750);
    expect(new TokenRing(4, 4).lookaheadNs).toBe(nicLatencyNs + 69 * 2000 + 1500);
  });

  it("passes the token downstream: waiting frames go in ring order from where it is", () => {
    const ring = new TokenRing(4, 16);
    const { byteNs, hopNs } = ring.timing;
    expect(hopNs).toBe(750);
    const frameNs = (64 + 5) * byteNs;
    ring.submit(submission(0, 1, 10, 0));
    ring.submit(submission(1, 0, 10, 0));
    ring.submit(submission(3, 0, 10, 0));
    const events = ring.eventsBefore(Number.POSITIVE_INFINITY);
    const doneAt = (node: number) =>
      events.find((e) => e.kind === FrameEventKind.TransmitDone && e.node === node)!.atNs - 40_000;
    // All ready at 40000. The token left node 3 at 0 and passes node 3 at 3000k, node 0 at
    // 750 + 3000k, node 1 at 1500 + 3000k: node 1 is first, at 40500.
    expect(doneAt(1)).toBe(40_500 + frameNs + 4 * hopNs);
    // Released at node 1, the token reaches node 3 two hops later, then node 0 one hop on.
    expect(doneAt(3)).toBe(doneAt(1) + 2 * hopNs + frameNs + 4 * hopNs);
    expect(doneAt(0)).toBe(doneAt(3) + hopNs + frameNs + 4 * hopNs);
  });

  it("delivers a broadcast to every other station, each after its own hops", () => {
    const ring = new TokenRing(3, 80);
    ring.submit(submission(1, -1, 46, 0));
    const receives = ring
      .eventsBefore(Number.POSITIVE_INFINITY)
      .filter((e) => e.kind === FrameEventKind.Receive);
    expect(receives.map((e) => e.node)).toEqual([2, 0]);
    expect(receives[1]!.atNs - receives[0]!.atNs).toBe(ring.timing.hopNs);
  });

  it("carries a frame for no station round the ring without delivering it", () => {
    const ring = new TokenRing(2, 80);
    ring.submit(submission(0, 7, 46, 0));
    ring.submit(submission(1, 1, 46, 0));
    const events = ring.eventsBefore(Number.POSITIVE_INFINITY);
    expect(events.map((e) => e.kind)).toEqual([
      FrameEventKind.TransmitDone,
      FrameEventKind.TransmitDone,
    ]);
    expect(ring.counters.framesDelivered).toBe(0);
  });
});
