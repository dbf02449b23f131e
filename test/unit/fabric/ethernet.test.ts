// Shared Ethernet timing against docs/network.md's formulas: bit time 100 ns, a frame of n
// bytes takes T(n) = (8 + n) * 800 ns with its preamble, gap 9.6 µs, jam 3.2 µs, slot 51.2 µs,
// propagation τ = 2.5 µs between any two stations, NIC latency 20 µs out and 20 µs in. A
// frame ready at r on an idle segment starts at r; the receiver has it at r + T + τ + 20 µs,
// the sender's transmit-done is at r + T + 20 µs.

import { describe, expect, it } from "vitest";
import { Ethernet, ethernetTransmitNs } from "../../../vm/fabric/ethernet.ts";
import { FrameEventKind, MediumIncidentKind } from "../../../vm/fabric/medium.ts";
import {
  ethernetInterFrameGapNs,
  ethernetJamNs,
  ethernetPropagationNs,
  ethernetSlotTimeNs,
  nicLatencyNs,
} from "../../../vm/fabric/network-costs.ts";
import { SeededRandom } from "../../../vm/random/seeded-random.ts";
import { describeEvent, submission } from "../../support/frames.ts";

const readyNs = 40_000;
const tau = ethernetPropagationNs;

describe("ethernet", () => {
  it("times one 1500-byte payload: 1518 + 8 bytes at 10 Mbit/s = 1220.8 µs", () => {
    expect(ethernetTransmitNs(1518)).toBe(1_220_800);
    const ethernet = new Ethernet(2, 1);
    ethernet.submit(submission(0, 1, 1500, 0));
    expect(ethernet.eventsBefore(Number.POSITIVE_INFINITY).map(describeEvent)).toEqual([
      "1300800 done node 0 from 0#0 delivered true",
      expect.stringMatching(/^1303300 receive node 1 from 0#0 bytes 1518/),
    ]);
    expect(ethernet.counters.collisions).toBe(0);
  });

  it("has the lookahead NIC latency + jam (a given-up frame's report)", () => {
    expect(new Ethernet(3, 1).lookaheadNs).toBe(nicLatencyNs + ethernetJamNs);
  });

  it("sends one station's frames back to back, a gap apart", () => {
    const ethernet = new Ethernet(2, 1);
    ethernet.submit(submission(0, 1, 46, 0, 0));
    ethernet.submit(submission(0, 1, 46, 0, 1));
    const receives = ethernet
      .eventsBefore(Number.POSITIVE_INFINITY)
      .filter((e) => e.kind === FrameEventKind.Receive);
    const frameNs = ethernetTransmitNs(64);
    expect(frameNs).toBe(57_600);
    expect(receives.map((e) => e.atNs)).toEqual([
      readyNs + frameNs + tau + 40_000,
      readyNs + 2 * frameNs + ethernetInterFrameGapNs + tau + 40_000,
    ]);
  });

  it("defers while it hears carrier, then waits the gap", () => {
    const ethernet = new Ethernet(2, 1);
    ethernet.submit(submission(0, 1, 1500, 0));
    ethernet.submit(submission(1, 0, 46, 100_000));
    const events = ethernet.eventsBefore(Number.POSITIVE_INFINITY);
    const carrierEndsAtNode1 = readyNs + ethernetTransmitNs(1518) + tau;
    const node1Start = carrierEndsAtNode1 + ethernetInterFrameGapNs;
    const receive = events.find((e) => e.kind === FrameEventKind.Receive && e.node === 0)!;
    expect(receive.atNs).toBe(node1Start + ethernetTransmitNs(64) + tau + 40_000);
    expect(ethernet.counters.collisions).toBe(0);
  });

  it("collides two stations that start together, then backs off by the seed's draws", () => {
    // Find a seed whose first draws (0 or 1 slot) differ: node 0 waits 0 slots, node 1 one.
    let seed = 1;
    const firstDraw = (s: number, node: number) =>
      new SeededRandom(s).fork(`ethernet-backoff-${node}`).below(2);
    while (!(firstDraw(seed, 0) === 0 && firstDraw(seed, 1) === 1)) seed++;
    const ethernet = new Ethernet(2, seed);
    ethernet.submit(submission(0, 1, 46, 0));
    ethernet.submit(submission(1, 0, 46, 0));
    const events = ethernet.eventsBefore(Number.POSITIVE_INFINITY);
    expect(ethernet.counters.collisions).toBe(2);
    // Both start at 40 µs, hear each other τ later, jam, stop at 40 µs + τ + jam.
    const stopNs = readyNs + tau + ethernetJamNs;
    // Node 0 draws 0 slots: it waits for node 1's signal to end (τ later) and the gap.
    const node0Start = stopNs + tau + ethernetInterFrameGapNs;
    const frameNs = ethernetTransmitNs(64);
    // Node 1 looks again one slot after its stop, hears node 0, defers to its end + τ + gap.
    const node1Start = node0Start + frameNs + tau + ethernetInterFrameGapNs;
    expect(stopNs + ethernetSlotTimeNs).toBeGreaterThan(node0Start + tau);
    expect(events.map(describeEvent)).toEqual([
      `${node0Start + frameNs + 40_000} done node 0 from 0#0 delivered true`,
      expect.stringMatching(`^${node0Start + frameNs + tau + 40_000} receive node 1 from 0#0`),
      `${node1Start + frameNs + 40_000} done node 1 from 1#0 delivered true`,
      expect.stringMatching(`^${node1Start + frameNs + tau + 40_000} receive node 0 from 1#0`),
    ]);
  });

  it("gives a frame up after 16 collided attempts and tells the sender", () => {
    // Both stations always draw 0 slots, so every attempt collides again.
    const ethernet = new Ethernet(2, 1, () => 0);
    ethernet.submit(submission(0, 1, 46, 0));
    ethernet.submit(submission(1, 0, 46, 0));
    const events = ethernet.eventsBefore(Number.POSITIVE_INFINITY);
    // Each round: start, hear the other after τ, jam, wait τ for its signal to end, then the gap.
    const roundNs = tau + ethernetJamNs + tau + ethernetInterFrameGapNs;
    const lastStopNs = readyNs + 15 * roundNs + tau + ethernetJamNs;
    expect(events.map(describeEvent)).toEqual([
      `${lastStopNs + 40_000} done node 0 from 0#0 delivered false`,
      `${lastStopNs + 40_000} done node 1 from 1#0 delivered false`,
    ]);
    expect(ethernet.counters).toMatchObject({
      collisions: 32,
      framesDropped: 2,
      framesDelivered: 0,
    });
    const incidents = ethernet.takeIncidents();
    const collisionTimes = incidents
      .filter((i) => i.kind === MediumIncidentKind.Collision && i.node === 0)
      .map((i) => i.atNs);
    expect(collisionTimes).toEqual(
      Array.from({ length: 16 }, (_, n) => readyNs + n * roundNs + tau),
    );
    expect(incidents.filter((i) => i.kind === MediumIncidentKind.GiveUp)).toEqual([
      { kind: MediumIncidentKind.GiveUp, atNs: lastStopNs, node: 0, sourceNode: 0, seq: 0 },
      { kind: MediumIncidentKind.GiveUp, atNs: lastStopNs, node: 1, sourceNode: 1, seq: 0 },
    ]);
    expect(ethernet.takeIncidents()).toEqual([]);
  });

  it("sends the next frame after a give-up", () => {
    const ethernet = new Ethernet(2, 1, (node) => node);
    ethernet.submit(submission(0, 1, 46, 0, 0));
    ethernet.submit(submission(1, 0, 46, 0, 0));
    ethernet.submit(submission(1, 0, 46, 0, 1));
    const events = ethernet.eventsBefore(Number.POSITIVE_INFINITY);
    expect(events.filter((e) => e.kind === FrameEventKind.Receive)).toHaveLength(3);
    expect(ethernet.counters.framesDropped).toBe(0);
  });

  it("resolves many stations contending at once, each frame delivered or given up", () => {
    const ethernet = new Ethernet(12, 42);
    for (let node = 0; node < 12; node++) {
      for (let seq = 0; seq < 3; seq++)
        ethernet.submit(submission(node, (node + 1) % 12, 100, 0, seq));
    }
    const events = ethernet.eventsBefore(Number.POSITIVE_INFINITY);
    const done = events.filter((e) => e.kind === FrameEventKind.TransmitDone);
    expect(done).toHaveLength(36);
    const delivered = done.filter((e) => e.delivered).length;
    expect(events.filter((e) => e.kind === FrameEventKind.Receive)).toHaveLength(delivered);
    expect(delivered + ethernet.counters.framesDropped).toBe(36);
    expect(ethernet.counters.collisions).toBeGreaterThan(0);
    // The segment carries one frame at a time: receptions are at least a frame time apart.
    const receiveTimes = events.filter((e) => e.kind === FrameEventKind.Receive).map((e) => e.atNs);
    for (let i = 1; i < receiveTimes.length; i++) {
      expect(receiveTimes[i]! - receiveTimes[i - 1]!).toBeGreaterThanOrEqual(
        ethernetTransmitNs(114),
      );
    }
  });
});
