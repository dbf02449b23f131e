// Switched Ethernet timing against docs/network.md's formulas: at R Mbit/s a frame of n
// bytes takes T(n) = (8 + n) * 8000/R ns on a link; links are 500 ns long; the switch
// forwards 2 µs after a frame's last bit is in. Ready at r, the sender's link sends it over
// [r, r + T); the switch queues it at r + T + 500 + 2000 on the destination port, which sends
// it when free; the receiver has it 500 ns + 20 µs after the port's last bit.

import { describe, expect, it } from "vitest";
import { FrameEventKind, MediumIncidentKind } from "../../../vm/fabric/medium.ts";
import { nicLatencyNs } from "../../../vm/fabric/network-costs.ts";
import { Switched } from "../../../vm/fabric/switched.ts";
import { describeEvent, submission } from "../../support/frames.ts";

describe("switched", () => {
  it("times one 1518-byte frame at 100 Mbit/s through the switch", () => {
    const switched = new Switched(2, 100);
    switched.submit(submission(0, 1, 1500, 0));
    // Ready at 40000; T = 1526 * 80 = 122080; link done at 162080; in the switch at 164580;
    // out at 286660; each event 40000 later.
    expect(switched.eventsBefore(Number.POSITIVE_INFINITY).map(describeEvent)).toEqual([
      "202080 done node 0 from 0#0 delivered true",
      expect.stringMatching(/^327160 receive node 1 from 0#0 bytes 1518/),
    ]);
  });

  it("has the lookahead NIC latency + minimum frame time", () => {
    expect(new Switched(2, 100).lookaheadNs).toBe(nicLatencyNs + 72 * 80);
    expect(new Switched(2, 1000).lookaheadNs).toBe(nicLatencyNs + 72 * 8);
  });

  it("queues frames from two senders on one output port, a gap apart", () => {
    const switched = new Switched(3, 1000);
    switched.submit(submission(0, 2, 1500, 0));
    switched.submit(submission(1, 2, 1500, 0));
    const receives = switched
      .eventsBefore(Number.POSITIVE_INFINITY)
      .filter((e) => e.kind === FrameEventKind.Receive);
    const frameNs = 1526 * 8;
    const inSwitchNs = 40_000 + frameNs + 500 + 2000;
    expect(receives.map((e) => [e.sourceNode, e.atNs])).toEqual([
      [0, inSwitchNs + frameNs + 500 + 40_000],
      [1, inSwitchNs + 2 * frameNs + 96 + 500 + 40_000],
    ]);
  });

  it("drops at the tail of a full output port and counts it", () => {
    const switched = new Switched(6, 100, 2);
    for (let node = 1; node < 6; node++) switched.submit(submission(node, 0, 500, 0));
    const events = switched.eventsBefore(Number.POSITIVE_INFINITY);
    const receives = events.filter((e) => e.kind === FrameEventKind.Receive);
    expect(receives.map((e) => e.sourceNode)).toEqual([1, 2]);
    expect(switched.counters.framesDropped).toBe(3);
    expect(switched.takeIncidents().map((i) => [i.kind, i.node, i.sourceNode])).toEqual([
      [MediumIncidentKind.QueueDrop, 0, 3],
      [MediumIncidentKind.QueueDrop, 0, 4],
      [MediumIncidentKind.QueueDrop, 0, 5],
    ]);
    // The senders never learn of the drop: every link sent its frame.
    expect(
      events.filter((e) => e.kind === FrameEventKind.TransmitDone && e.delivered),
    ).toHaveLength(5);
  });

  it("floods a broadcast to every other port", () => {
    const switched = new Switched(4, 100);
    switched.submit(submission(2, -1, 46, 0));
    const receives = switched
      .eventsBefore(Number.POSITIVE_INFINITY)
      .filter((e) => e.kind === FrameEventKind.Receive);
    expect(receives.map((e) => e.node)).toEqual([0, 1, 3]);
    expect(new Set(receives.map((e) => e.atNs)).size).toBe(1);
  });
});
