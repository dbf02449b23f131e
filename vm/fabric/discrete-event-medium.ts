// What the three media share: a discrete-event simulation in virtual time that is fed frames
// in the cluster's total order and advanced only as far as the frames it has seen decide.
// A submitted frame becomes an Arrival happening when the sender's NIC has it ready
// (handedAtNs + nicTransmitLatencyNs). Each medium handles its happenings in the total order
// (atNs, kind, station, order) and emits FrameEvents. Every event is at least `gapNs` after
// the happening that emits it, so `eventsBefore(until)` needs to handle only the happenings
// before until - gapNs, all of which depend only on frames handed before
// until - gapNs - nicTransmitLatencyNs = until - lookaheadNs: lookaheadNs is
// nicTransmitLatencyNs + gapNs. Handing the same frames over in one call or quantum by
// quantum therefore yields the same events (test/unit/fabric/lookahead.property.test.ts).

import { frameBytesMin, frameDestinationMac } from "./ethernet-frame.ts";
import { broadcastMac, nodeForMac } from "./mac-address.ts";
import {
  type FrameEvent,
  FrameEventKind,
  type FrameSubmission,
  frameEventBefore,
  type Medium,
  type MediumCounters,
  type MediumIncident,
  type MediumIncidentKind,
  mediumIncidentsMax,
} from "./medium.ts";
import { MinHeap } from "./min-heap.ts";
import { nicTransmitLatencyNs } from "./network-costs.ts";

/** destinationNode of a broadcast frame. */
export const destinationAll = -1;
/** destinationNode of a frame whose address names no station of this medium. */
export const destinationNone = -2;

/** A submitted frame as the medium keeps it. */
export interface MediumFrame {
  sourceNode: number;
  seq: number;
  bytes: Uint8Array;
  /** When the sender's NIC can put the first bit on the medium. */
  readyAtNs: number;
  /** A node, destinationAll or destinationNone. */
  destinationNode: number;
  /** The length the medium times: the frame's, but never under the 64-byte minimum. */
  timedBytes: number;
}

/** Something the medium does at a time. `kind` orders happenings at equal times (Arrival first). */
export interface Happening {
  atNs: number;
  kind: number;
  station: number;
  /** Arrivals: the frame's seq; others: a counter of the simulation, so the order is total. */
  order: number;
  frame: MediumFrame | undefined;
}

const arrivalKind = 0;

function happeningBefore(a: Happening, b: Happening): boolean {
  if (a.atNs !== b.atNs) return a.atNs < b.atNs;
  if (a.kind !== b.kind) return a.kind < b.kind;
  if (a.station !== b.station) return a.station < b.station;
  return a.order < b.order;
}

const noBytes = new Uint8Array(0);
const noEvents: readonly FrameEvent[] = [];

export abstract class DiscreteEventMedium implements Medium {
  abstract readonly name: string;
  readonly lookaheadNs: number;
  readonly counters: MediumCounters = {
    framesSubmitted: 0,
    framesDelivered: 0,
    framesDropped: 0,
    collisions: 0,
    bytesCarried: 0,
    incidentsLost: 0,
  };
  protected readonly nodeCount: number;
  /** The least distance from a happening to an event it emits. */
  private readonly gapNs: number;
  private readonly happenings = new MinHeap<Happening>(happeningBefore);
  private readonly events = new MinHeap<FrameEvent>(frameEventBefore);
  /** Happenings before this time have been handled. */
  private handledBeforeNs = Number.NEGATIVE_INFINITY;
  private happeningOrder = 0;
  private incidents: MediumIncident[] = [];
  private lastHandedAtNs = Number.NEGATIVE_INFINITY;
  private lastSourceNode = -1;
  private lastSeq = -1;

  protected constructor(nodeCount: number, gapNs: number) {
    if (!Number.isInteger(nodeCount) || nodeCount < 1) {
      throw new RangeError(`a medium needs at least 1 node, got ${nodeCount}`);
    }
    this.nodeCount = nodeCount;
    this.gapNs = gapNs;
    this.lookaheadNs = nicTransmitLatencyNs + gapNs;
  }

  submit(submission: FrameSubmission): void {
    const { sourceNode, seq, handedAtNs, bytes } = submission;
    if (!Number.isInteger(sourceNode) || sourceNode < 0 || sourceNode >= this.nodeCount) {
      throw new RangeError(`${this.name}: source node ${sourceNode} is not on the medium`);
    }
    const inOrder =
      handedAtNs > this.lastHandedAtNs ||
      (handedAtNs === this.lastHandedAtNs &&
        (sourceNode > this.lastSourceNode ||
          (sourceNode === this.lastSourceNode && seq > this.lastSeq)));
    if (!inOrder) {
      throw new RangeError(
        `${this.name}: frame (${handedAtNs} ns, node ${sourceNode}, seq ${seq}) submitted out of order`,
      );
    }
    const readyAtNs = handedAtNs + nicTransmitLatencyNs;
    if (readyAtNs < this.handledBeforeNs) {
      throw new RangeError(
        `${this.name}: frame handed at ${handedAtNs} ns came after the medium was final up to ${this.handledBeforeNs} ns`,
      );
    }
    this.lastHandedAtNs = handedAtNs;
    this.lastSourceNode = sourceNode;
    this.lastSeq = seq;
    this.counters.framesSubmitted++;
    const frame: MediumFrame = {
      sourceNode,
      seq,
      bytes,
      readyAtNs,
      destinationNode: this.destinationOf(bytes, sourceNode),
      timedBytes: Math.max(bytes.length, frameBytesMin),
    };
    this.happenings.push({
      atNs: readyAtNs,
      kind: arrivalKind,
      station: sourceNode,
      order: seq,
      frame,
    });
  }

  eventsBefore(untilNs: number): readonly FrameEvent[] {
    const horizonNs = untilNs - this.gapNs;
    for (;;) {
      const next = this.happenings.peek();
      if (next === undefined || !(next.atNs < horizonNs)) break;
      this.happenings.pop();
      this.handle(next);
    }
    if (horizonNs > this.handledBeforeNs) this.handledBeforeNs = horizonNs;
    const first = this.events.peek();
    // Most quanta have no event due: no array for them (the cluster asks every quantum).
    if (first === undefined || !(first.atNs < untilNs)) return noEvents;
    const due: FrameEvent[] = [];
    for (;;) {
      const next = this.events.peek();
      if (next === undefined || !(next.atNs < untilNs)) break;
      due.push(this.events.pop()!);
    }
    return due;
  }

  /** A lower bound: no event not yet returned is earlier; Infinity when the medium is empty. */
  nextEventNs(): number {
    const event = this.events.peek()?.atNs ?? Number.POSITIVE_INFINITY;
    const happening = this.happenings.peek();
    return happening === undefined ? event : Math.min(event, happening.atNs + this.gapNs);
  }

  takeIncidents(): MediumIncident[] {
    const taken = this.incidents;
    if (taken.length > 0) this.incidents = [];
    return taken;
  }

  /** Handles one happening, in the total order; may schedule later ones and emit events. */
  protected abstract handle(happening: Happening): void;

  protected schedule(atNs: number, kind: number, station: number, frame?: MediumFrame): void {
    this.happenings.push({ atNs, kind, station, order: this.happeningOrder++, frame });
  }

  protected recordIncident(
    kind: MediumIncidentKind,
    atNs: number,
    node: number,
    frame: MediumFrame,
  ): void {
    if (this.incidents.length >= mediumIncidentsMax) {
      this.counters.incidentsLost!++;
      return;
    }
    this.incidents.push({ kind, atNs, node, sourceNode: frame.sourceNode, seq: frame.seq });
  }

  /** Emits the frame's Receive events at `atNs` for its destination(s), counting them. */
  protected deliver(frame: MediumFrame, atNs: number): void {
    const destination = frame.destinationNode;
    if (destination === destinationAll) {
      for (let node = 0; node < this.nodeCount; node++) {
        if (node !== frame.sourceNode) this.emitReceive(frame, node, atNs);
      }
    } else if (destination >= 0) {
      this.emitReceive(frame, destination, atNs);
    }
  }

  /** Emits a Receive event at `atNs` for one node (a broadcast copy, a switch port's copy). */
  protected emitReceive(frame: MediumFrame, node: number, atNs: number): void {
    this.counters.framesDelivered++;
    this.events.push({
      kind: FrameEventKind.Receive,
      node,
      atNs,
      sourceNode: frame.sourceNode,
      seq: frame.seq,
      bytes: frame.bytes,
      delivered: true,
    });
  }

  protected emitTransmitDone(frame: MediumFrame, atNs: number, delivered: boolean): void {
    this.events.push({
      kind: FrameEventKind.TransmitDone,
      node: frame.sourceNode,
      atNs,
      sourceNode: frame.sourceNode,
      seq: frame.seq,
      bytes: noBytes,
      delivered,
    });
  }

  /**
   * A node of this medium, every other node (broadcast) or none. A NIC never hears its own
   * frames, so a frame addressed to its sender reaches nobody.
   */
  private destinationOf(bytes: Uint8Array, sourceNode: number): number {
    const mac = frameDestinationMac(bytes);
    if (mac === broadcastMac) return destinationAll;
    const node = nodeForMac(mac);
    return node >= 0 && node < this.nodeCount && node !== sourceNode ? node : destinationNone;
  }
}
