// A token ring (IEEE 802.5 style, as Charlotte's 80 Mbit/s ProNET ring): stations in ring
// order by node number, one token. A station with a frame ready seizes the free token when
// it passes, sends one frame, and the frame goes round the whole ring: every station repeats
// it (the destination copies it as it passes) until it is back at its sender, who strips it
// and releases the token to the next station downstream. The sender's transmit-done comes
// when its frame has returned. Formulas in docs/network.md. Left out: priorities and
// reservations, early token release, the active monitor, ring errors, the free token's own
// three byte times (a station seizes it as it arrives).

import {
  DiscreteEventMedium,
  destinationAll,
  type Happening,
  type MediumFrame,
} from "./discrete-event-medium.ts";
import { frameBytesMin } from "./ethernet-frame.ts";
import {
  nicReceiveLatencyNs,
  type tokenRingBitRatesMbps,
  tokenRingFrameOverheadBytes,
  tokenRingHopPropagationNs,
  tokenRingStationDelayBits,
} from "./network-costs.ts";

export type TokenRingBitRateMbps = (typeof tokenRingBitRatesMbps)[number];

const enum TokenRingKind {
  Arrival = 0,
  Release = 1,
  Capture = 2,
}

/** Timing of a ring at one bit rate; all in ns. */
export class TokenRingTiming {
  readonly byteNs: number;
  /** From a bit leaving one station to it leaving the next: cable plus the station's buffer. */
  readonly hopNs: number;

  constructor(readonly bitRateMbps: TokenRingBitRateMbps) {
    this.byteNs = 8000 / bitRateMbps;
    this.hopNs = tokenRingHopPropagationNs + (tokenRingStationDelayBits * 1000) / bitRateMbps;
  }

  /** The time to send a frame of `frameBytes` (the MAC frame; the ring's framing added). */
  transmitNs(frameBytes: number): number {
    return (frameBytes + tokenRingFrameOverheadBytes) * this.byteNs;
  }

  /** Hops downstream from `from` to `to` (1..stations; a full round when they are equal). */
  static hops(from: number, to: number, stations: number): number {
    return ((to - from - 1 + stations) % stations) + 1;
  }
}

export class TokenRing extends DiscreteEventMedium {
  readonly name: string;
  readonly timing: TokenRingTiming;
  private readonly queues: MediumFrame[][];
  private readonly roundNs: number;
  private tokenHeld = false;
  /** Where and when the token was last released (the ring starts with node N-1 releasing it at 0). */
  private tokenReleasedBy: number;
  private tokenReleasedAtNs = 0;
  /** The capture scheduled for the free token; stale Capture happenings do not match it. */
  private captureStation = -1;
  private captureAtNs = Number.POSITIVE_INFINITY;

  constructor(nodeCount: number, bitRateMbps: TokenRingBitRateMbps) {
    const timing = new TokenRingTiming(bitRateMbps);
    super(nodeCount, timing.transmitNs(frameBytesMin) + timing.hopNs + nicReceiveLatencyNs);
    this.name = `token-ring:${bitRateMbps}`;
    this.timing = timing;
    this.queues = Array.from({ length: nodeCount }, () => []);
    this.roundNs = nodeCount * timing.hopNs;
    this.tokenReleasedBy = nodeCount - 1;
  }

  protected handle(happening: Happening): void {
    switch (happening.kind) {
      case TokenRingKind.Arrival:
        this.arrive(happening.frame!, happening.atNs);
        break;
      case TokenRingKind.Release:
        this.release(happening.station, happening.atNs);
        break;
      case TokenRingKind.Capture:
        if (happening.station === this.captureStation && happening.atNs === this.captureAtNs) {
          this.capture(happening.station, happening.atNs);
        }
        break;
    }
  }

  private arrive(frame: MediumFrame, nowNs: number): void {
    const queue = this.queues[frame.sourceNode]!;
    queue.push(frame);
    if (this.tokenHeld || queue.length > 1) return;
    const visitNs = this.tokenVisitNs(frame.sourceNode, nowNs);
    if (visitNs < this.captureAtNs) this.scheduleCapture(frame.sourceNode, visitNs);
  }

  private capture(station: number, nowNs: number): void {
    this.tokenHeld = true;
    this.captureStation = -1;
    this.captureAtNs = Number.POSITIVE_INFINITY;
    const frame = this.queues[station]!.shift()!;
    const sentNs = nowNs + this.timing.transmitNs(frame.timedBytes);
    const hopNs = this.timing.hopNs;
    if (frame.destinationNode === destinationAll) {
      for (let node = 0; node < this.nodeCount; node++) {
        if (node === station) continue;
        const hops = TokenRingTiming.hops(station, node, this.nodeCount);
        this.emitReceive(frame, node, sentNs + hops * hopNs + nicReceiveLatencyNs);
      }
    } else if (frame.destinationNode >= 0) {
      const hops = TokenRingTiming.hops(station, frame.destinationNode, this.nodeCount);
      this.emitReceive(frame, frame.destinationNode, sentNs + hops * hopNs + nicReceiveLatencyNs);
    }
    const returnedNs = sentNs + this.roundNs;
    this.counters.bytesCarried += frame.bytes.length;
    this.emitTransmitDone(frame, returnedNs + nicReceiveLatencyNs, true);
    this.schedule(returnedNs, TokenRingKind.Release, station);
  }

  private release(station: number, nowNs: number): void {
    this.tokenHeld = false;
    this.tokenReleasedBy = station;
    this.tokenReleasedAtNs = nowNs;
    let bestStation = -1;
    let bestNs = Number.POSITIVE_INFINITY;
    for (let node = 0; node < this.nodeCount; node++) {
      if (this.queues[node]!.length === 0) continue;
      const visitNs = this.tokenVisitNs(node, nowNs);
      if (visitNs < bestNs) {
        bestNs = visitNs;
        bestStation = node;
      }
    }
    if (bestStation >= 0) this.scheduleCapture(bestStation, bestNs);
  }

  /** The first time at or after `notBeforeNs` that the free token reaches `station`. */
  private tokenVisitNs(station: number, notBeforeNs: number): number {
    const hops = TokenRingTiming.hops(this.tokenReleasedBy, station, this.nodeCount);
    const firstNs = this.tokenReleasedAtNs + hops * this.timing.hopNs;
    if (firstNs >= notBeforeNs) return firstNs;
    return firstNs + Math.ceil((notBeforeNs - firstNs) / this.roundNs) * this.roundNs;
  }

  private scheduleCapture(station: number, atNs: number): void {
    this.captureStation = station;
    this.captureAtNs = atNs;
    this.schedule(atNs, TokenRingKind.Capture, station);
  }
}
