// The fault injector: loss, duplication and corruption with their probabilities, partitions
// that lose what crosses their cut while they last, all counted and replayable from the seed;
// corruption always fails the receiver's FCS check; bad settings name themselves.

import { describe, expect, it } from "vitest";
import { Nic } from "../../../vm/devices/nic.ts";
import { createMedium } from "../../../vm/fabric/create-medium.ts";
import { fcsMatches } from "../../../vm/fabric/ethernet-frame.ts";
import { FaultInjector, type FaultOptions } from "../../../vm/fabric/fault-injector.ts";
import { type FrameEvent, FrameEventKind, MediumIncidentKind } from "../../../vm/fabric/medium.ts";
import { faultDuplicateDelayNs } from "../../../vm/fabric/network-costs.ts";
import { Switched } from "../../../vm/fabric/switched.ts";
import { describeEvent, submission } from "../../support/frames.ts";

/** 200 frames between 4 nodes on switched:1000, 100 µs apart, through the given faults. */
function run(options: FaultOptions): { events: readonly FrameEvent[]; injector: FaultInjector } {
  const injector = new FaultInjector(new Switched(4, 1000), options);
  for (let i = 0; i < 200; i++)
    injector.submit(submission(i % 4, (i + 1) % 4, 100, i * 100_000, i >> 2));
  return { events: injector.eventsBefore(Number.POSITIVE_INFINITY), injector };
}

const receives = (events: readonly FrameEvent[]) =>
  events.filter((e) => e.kind === FrameEventKind.Receive);

describe("FaultInjector", () => {
  it("passes everything through with no faults", () => {
    const { events, injector } = run({ seed: 1 });
    expect(receives(events)).toHaveLength(200);
    expect(events).toHaveLength(400);
    expect(injector.faults).toEqual({
      framesLost: 0,
      framesDuplicated: 0,
      framesCorrupted: 0,
      partitionDrops: 0,
    });
  });

  it("loses about the loss rate of deliveries, never a transmit-done", () => {
    const { events, injector } = run({ seed: 3, lossRate: 0.3 });
    const lost = injector.faults.framesLost;
    expect(lost).toBeGreaterThan(30);
    expect(lost).toBeLessThan(90);
    expect(receives(events)).toHaveLength(200 - lost);
    expect(events.filter((e) => e.kind === FrameEventKind.TransmitDone)).toHaveLength(200);
    expect(receives(run({ seed: 3, lossRate: 1 }).events)).toHaveLength(0);
  });

  it("duplicates a delivery a fixed delay later", () => {
    const { events, injector } = run({ seed: 5, duplicateRate: 1 });
    expect(injector.faults.framesDuplicated).toBe(200);
    const got = receives(events);
    expect(got).toHaveLength(400);
    expect(got[1]!.atNs - got[0]!.atNs).toBe(faultDuplicateDelayNs);
    expect(got[1]!.bytes).toEqual(got[0]!.bytes);
  });

  it("corrupts a copy so the receiving NIC's FCS check drops it", () => {
    const original = submission(0, 1, 100, 0);
    const kept = original.bytes.slice();
    const injector = new FaultInjector(new Switched(2, 100), { seed: 9, corruptRate: 1 });
    injector.submit(original);
    const [delivery] = receives(injector.eventsBefore(Number.POSITIVE_INFINITY));
    expect(fcsMatches(delivery!.bytes)).toBe(false);
    expect(original.bytes).toEqual(kept);
    const nic = new Nic(1);
    nic.schedule(delivery!);
    nic.deliverDue(delivery!.atNs);
    expect(nic.counters.fcsDrops).toBe(1);
    expect(injector.faults.framesCorrupted).toBe(1);
  });

  it("loses what crosses a partition's cut while it lasts, and nothing else", () => {
    // Nodes 0 and 1 against 2 and 3 from 5 ms to 12 ms (frames arrive ~61 µs after handing).
    const { events, injector } = run({
      seed: 1,
      partitions: [{ fromNs: 5_000_000, durationNs: 7_000_000, nodes: [0, 1] }],
    });
    const crossed = (e: FrameEvent) => e.sourceNode < 2 !== e.node < 2;
    const inWindow = (e: FrameEvent) => e.atNs >= 5_000_000 && e.atNs < 12_000_000;
    const got = receives(events);
    expect(got.some((e) => crossed(e) && inWindow(e))).toBe(false);
    expect(got.some((e) => crossed(e) && !inWindow(e))).toBe(true);
    expect(got.some((e) => !crossed(e) && inWindow(e))).toBe(true);
    expect(injector.faults.partitionDrops).toBe(200 - got.length);
    expect(injector.faults.partitionDrops).toBeGreaterThan(0);
    const cuts = injector
      .takeIncidents()
      .filter(
        (i) =>
          i.kind === MediumIncidentKind.PartitionStart ||
          i.kind === MediumIncidentKind.PartitionHeal,
      )
      .map((i) => [i.kind, i.atNs, i.node, i.nodes]);
    expect(cuts).toEqual([
      [MediumIncidentKind.PartitionStart, 5_000_000, 0, "0-1"],
      [MediumIncidentKind.PartitionHeal, 12_000_000, 0, "0-1"],
    ]);
  });

  it("reports a partition's start and heal once each, and an idle cluster stops at them", () => {
    const injector = new FaultInjector(new Switched(6, 100), {
      seed: 1,
      partitions: [{ fromNs: 2_000, durationNs: 3_000, nodes: [5, 1, 3, 2] }],
    });
    expect(injector.nextEventNs()).toBe(2_000);
    injector.eventsBefore(2_000);
    expect(injector.takeIncidents()).toEqual([]);
    injector.eventsBefore(2_001);
    expect(injector.takeIncidents().map((i) => [i.atNs, i.nodes])).toEqual([[2_000, "1-3,5"]]);
    expect(injector.nextEventNs()).toBe(5_000);
    injector.eventsBefore(Number.POSITIVE_INFINITY);
    expect(injector.takeIncidents().map((i) => [i.atNs, i.nodes])).toEqual([[5_000, "1-3,5"]]);
    expect(injector.nextEventNs()).toBe(Number.POSITIVE_INFINITY);
  });

  it("replays from its seed and differs with another", () => {
    const options = { lossRate: 0.2, duplicateRate: 0.2, corruptRate: 0.2 };
    const first = run({ seed: 11, ...options });
    const a = first.events.map(describeEvent);
    const kinds = first.injector.takeIncidents().map((i) => i.kind);
    const count = (kind: MediumIncidentKind) => kinds.filter((k) => k === kind).length;
    expect(count(MediumIncidentKind.FaultLoss)).toBe(first.injector.faults.framesLost);
    expect(count(MediumIncidentKind.FaultDuplicate)).toBe(first.injector.faults.framesDuplicated);
    expect(count(MediumIncidentKind.FaultCorruption)).toBe(first.injector.faults.framesCorrupted);
    expect(kinds.length).toBeGreaterThan(0);
    expect(run({ seed: 11, ...options }).events.map(describeEvent)).toEqual(a);
    expect(run({ seed: 12, ...options }).events.map(describeEvent)).not.toEqual(a);
  });

  it("refuses rates outside [0, 1] and bad partitions, naming them", () => {
    const inner = new Switched(2, 100);
    expect(() => new FaultInjector(inner, { seed: 1, lossRate: 1.5 })).toThrow(/loss rate 1.5/);
    expect(() => new FaultInjector(inner, { seed: 1, duplicateRate: -0.1 })).toThrow(
      /duplication rate/,
    );
    expect(() => new FaultInjector(inner, { seed: 1, corruptRate: Number.NaN })).toThrow(
      /corruption rate/,
    );
    expect(
      () =>
        new FaultInjector(inner, {
          seed: 1,
          partitions: [{ fromNs: 0, durationNs: 0, nodes: [0] }],
        }),
    ).toThrow(/partition duration/);
    expect(
      () =>
        new FaultInjector(inner, {
          seed: 1,
          partitions: [{ fromNs: 0, durationNs: 5, nodes: [0.5] }],
        }),
    ).toThrow(/partition node/);
  });

  it("is what createMedium wraps the medium in when faults are asked for", () => {
    const plain = createMedium("ethernet", { nodeCount: 2, seed: 1, faults: { lossRate: 0 } });
    expect(plain).not.toBeInstanceOf(FaultInjector);
    const faulty = createMedium("ethernet", { nodeCount: 2, seed: 1, faults: { lossRate: 0.5 } });
    expect(faulty).toBeInstanceOf(FaultInjector);
    expect(faulty.name).toBe("ethernet");
    expect(faulty.lookaheadNs).toBe(plain.lookaheadNs);
    expect(() =>
      createMedium("ethernet", { nodeCount: 2, seed: 1, faults: { lossRate: 2 } }),
    ).toThrow(/loss rate 2 is outside/);
  });
});
