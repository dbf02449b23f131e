// The heart of the cluster's determinism (docs/network.md, "Lookahead"): when every frame
// handed before B has been submitted, every event before B + lookaheadNs is final. So feeding
// a medium quantum by quantum (at each boundary B, submit the frames handed before B, then
// take eventsBefore(B + lookaheadNs)) yields exactly the events of submitting every frame
// first and asking once, for every medium, with and without faults, whatever the quantum.
// The same holds for the incidents (collisions, drops, faults) the trace records, and each
// comes out no later than the call after the one whose horizon passed it. Also: no event
// comes earlier than its frame's handing + lookaheadNs.
// Replay a failure with the STERNA_SEED printed next to it.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createMedium, fabricSpellings } from "../../../vm/fabric/create-medium.ts";
import { Ethernet } from "../../../vm/fabric/ethernet.ts";
import type {
  FrameEvent,
  FrameSubmission,
  Medium,
  MediumIncident,
} from "../../../vm/fabric/medium.ts";
import { describeEvent, submission } from "../../support/frames.ts";
import { checkProperty } from "../../support/seeded-property.ts";
import { withFaults } from "./fault-cases.ts";

interface Traffic {
  spec: string;
  nodeCount: number;
  seed: number;
  faulty: boolean;
  quantumFraction: number;
  frames: { gapNs: number; from: number; to: number; payloadBytes: number }[];
}

/** Ethernet whose stations always wait 0 slots: contention ends in 16 collisions and a give-up. */
const alwaysColliding = "ethernet, backoff always 0";

const traffic: fc.Arbitrary<Traffic> = fc.record({
  spec: fc.constantFrom(...fabricSpellings, alwaysColliding),
  nodeCount: fc.integer({ min: 1, max: 7 }),
  seed: fc.integer(),
  faulty: fc.boolean(),
  quantumFraction: fc.double({ min: 0.05, max: 1, noNaN: true }),
  frames: fc.array(
    fc.record({
      // Bursts (gap 0), near-collisions and idle stretches.
      gapNs: fc.oneof(
        fc.constant(0),
        fc.integer({ min: 0, max: 5_000 }),
        fc.integer({ min: 0, max: 3_000_000 }),
      ),
      from: fc.nat(),
      to: fc.integer({ min: -1, max: 8 }),
      payloadBytes: fc.oneof(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 1500 })),
    }),
    { maxLength: 60 },
  ),
});

function submissions(t: Traffic): FrameSubmission[] {
  const seqs = new Array<number>(t.nodeCount).fill(0);
  const list: FrameSubmission[] = [];
  let handedAtNs = 0;
  for (const frame of t.frames) {
    handedAtNs += frame.gapNs;
    const from = frame.from % t.nodeCount;
    list.push(submission(from, frame.to, frame.payloadBytes, handedAtNs, seqs[from]!++));
  }
  // The total order: (handedAtNs, sourceNode, seq).
  return list.sort(
    (a, b) => a.handedAtNs - b.handedAtNs || a.sourceNode - b.sourceNode || a.seq - b.seq,
  );
}

function mediumFor(t: Traffic): Medium {
  const medium =
    t.spec === alwaysColliding
      ? new Ethernet(t.nodeCount, t.seed, () => 0)
      : createMedium(t.spec, { nodeCount: t.nodeCount, seed: t.seed });
  return t.faulty ? withFaults(medium, t.seed, t.nodeCount) : medium;
}

interface Outcome {
  events: readonly FrameEvent[];
  incidents: MediumIncident[];
}

function allAtOnce(t: Traffic, frames: FrameSubmission[]): Outcome {
  const medium = mediumFor(t);
  for (const frame of frames) medium.submit(frame);
  const events = medium.eventsBefore(Number.POSITIVE_INFINITY);
  expect(medium.nextEventNs()).toBe(Number.POSITIVE_INFINITY);
  return { events, incidents: medium.takeIncidents?.() ?? [] };
}

function quantumByQuantum(t: Traffic, frames: FrameSubmission[]): Outcome {
  const medium = mediumFor(t);
  const quantumNs = Math.max(1, Math.floor(medium.lookaheadNs * t.quantumFraction));
  const events: FrameEvent[] = [];
  const outcome: Outcome = { events, incidents: [] };
  let incidentsFinalBeforeNs = Number.NEGATIVE_INFINITY;
  let next = 0;
  for (let boundaryNs = 0; ; boundaryNs += quantumNs) {
    while (next < frames.length && frames[next]!.handedAtNs < boundaryNs)
      medium.submit(frames[next++]!);
    const untilNs = boundaryNs + medium.lookaheadNs;
    for (const event of medium.eventsBefore(untilNs)) {
      expect(event.atNs).toBeLessThan(untilNs);
      expect(event.atNs).toBeGreaterThanOrEqual(boundaryNs);
      events.push(event);
    }
    // Every incident before the previous call's U - lookahead came out then.
    for (const incident of medium.takeIncidents?.() ?? []) {
      expect(incident.atNs).toBeGreaterThanOrEqual(incidentsFinalBeforeNs);
      outcome.incidents.push(incident);
    }
    incidentsFinalBeforeNs = untilNs - medium.lookaheadNs;
    if (next === frames.length && medium.nextEventNs() === Number.POSITIVE_INFINITY) {
      return outcome;
    }
    // Idle stretches pass in one step, as the cluster's would.
    const nextFrameNs = next < frames.length ? frames[next]!.handedAtNs : Number.POSITIVE_INFINITY;
    const skipToNs = Math.min(nextFrameNs, medium.nextEventNs());
    if (skipToNs > boundaryNs + quantumNs) boundaryNs = Math.floor(skipToNs) - quantumNs;
  }
}

const describeIncidents = (incidents: MediumIncident[]) =>
  incidents.map((i) => `${i.atNs} ${i.kind} node ${i.node} from ${i.sourceNode}#${i.seq}`).sort();

describe("lookahead", () => {
  it("feeding quantum by quantum gives the same events as all at once", () => {
    checkProperty(
      fc.property(traffic, (t) => {
        const frames = submissions(t);
        const once = allAtOnce(t, frames);
        const stepped = quantumByQuantum(t, frames);
        expect(stepped.events.map(describeEvent)).toEqual(once.events.map(describeEvent));
        expect(describeIncidents(stepped.incidents)).toEqual(describeIncidents(once.incidents));
        const medium = mediumFor(t);
        const handedAt = new Map(frames.map((f) => [`${f.sourceNode}#${f.seq}`, f.handedAtNs]));
        for (const event of once.events) {
          const handed = handedAt.get(`${event.sourceNode}#${event.seq}`)!;
          expect(event.atNs - handed).toBeGreaterThanOrEqual(medium.lookaheadNs);
        }
      }),
      "test/unit/fabric/lookahead.property.test.ts",
      300,
    );
  });
});
