// A flood never crashes the host: seven NICs send to node 0 as fast as their transmit queues
// let them, on every fabric with heavy faults, through a miniature of the cluster's loop
// (take the handed frames, submit them in the total order, deliver the quantum's events).
// Every frame is accounted for: refused at the sender, dropped by the medium or the faults,
// or received, FCS-dropped or ring-overflow-dropped at node 0.

import { describe, expect, it } from "vitest";
import { Nic } from "../../../vm/devices/nic.ts";
import { createMedium, fabricSpellings } from "../../../vm/fabric/create-medium.ts";
import type { FaultInjector } from "../../../vm/fabric/fault-injector.ts";
import { macForNode } from "../../../vm/fabric/mac-address.ts";
import { FrameEventKind, type FrameSubmission } from "../../../vm/fabric/medium.ts";
import { testEtherType } from "../../support/frames.ts";

const nodeCount = 8;
const floodNs = 40_000_000;

describe("a flood", () => {
  for (const spec of fabricSpellings.filter((s) => s.includes(":") || s === "ethernet")) {
    it(`through ${spec} is counted, never thrown`, () => {
      const medium = createMedium(spec, {
        nodeCount,
        seed: 99,
        faults: { lossRate: 0.1, duplicateRate: 0.1, corruptRate: 0.1 },
      }) as FaultInjector;
      const nics = Array.from(
        { length: nodeCount },
        (_, node) => new Nic(node, { rxRingFrames: 16, txQueueFrames: 8 }),
      );
      const quantumNs = medium.lookaheadNs;
      let refused = 0;
      let receivesAtSink = 0;
      const quanta = Math.max(400, Math.ceil(floodNs / quantumNs));
      for (let quantum = 0; quantum < quanta; quantum++) {
        const boundaryNs = quantum * quantumNs;
        const handed: FrameSubmission[] = nics.flatMap((nic) => nic.takeOutgoing());
        handed.sort(
          (a, b) => a.handedAtNs - b.handedAtNs || a.sourceNode - b.sourceNode || a.seq - b.seq,
        );
        for (const frame of handed) medium.submit(frame);
        for (const event of medium.eventsBefore(boundaryNs + quantumNs)) {
          if (event.node === 0 && event.kind === FrameEventKind.Receive) receivesAtSink++;
          nics[event.node]!.schedule(event);
        }
        for (const nic of nics) {
          nic.deliverDue(boundaryNs + quantumNs);
          // Node 0 never reads its ring; the others drain theirs.
          if (nic.node === 0) continue;
          while (nic.receive() !== undefined) {}
          // More than a transmit queue holds, so every fabric refuses some.
          for (let i = 0; i < 12; i++) {
            const timeNs = boundaryNs + quantumNs - 12 + i;
            if (!nic.send(macForNode(0), testEtherType, new Uint8Array(1500), timeNs)) refused++;
          }
        }
      }
      const sink = nics[0]!.counters;
      expect(medium.faults.framesLost + medium.faults.framesDuplicated).toBeGreaterThan(0);
      const sent = nics.reduce((sum, nic) => sum + nic.counters.framesSent, 0);
      expect(sent).toBeGreaterThan(7 * 8);
      expect(refused).toBeGreaterThan(0);
      expect(sink.rxOverflowDrops).toBeGreaterThan(0);
      expect(sink.fcsDrops).toBeGreaterThan(0);
      const arrived =
        sink.framesReceived + sink.fcsDrops + sink.rxOverflowDrops + sink.addressDrops;
      expect(arrived).toBe(receivesAtSink - undelivered(nics[0]!));
      expect(nics[0]!.rxFrames).toBe(16);
    });
  }
});

/** Events scheduled on the NIC but not yet due at the end of the run. */
function undelivered(nic: Nic): number {
  return nic.getState().pending.length;
}
