// One shared 10 Mbit/s Ethernet segment with CSMA/CD (IEEE 802.3, 1-persistent): a station
// with a frame listens; while it hears carrier it defers, and once the carrier has been idle
// for the inter-frame gap it transmits. Every two stations are `ethernetPropagationNs` apart,
// so two stations that start less than that apart do not hear each other in time and
// collide: each notices when the other's signal reaches it, sends the jam and stops, then
// waits a seeded truncated binary exponential backoff (0..2^min(n,10)-1 slot times after the
// n-th collision) and tries again; the 16th collision gives the frame up (TransmitDone with
// delivered=false, counted in framesDropped). `counters.collisions` counts collided attempts,
// one per station involved. Formulas in docs/network.md. Left out: the IFG's two-thirds rule
// (carrier during the gap restarts it), capture effect, late collisions, unequal distances.

import { SeededRandom } from "../random/seeded-random.ts";
import { DiscreteEventMedium, type Happening, type MediumFrame } from "./discrete-event-medium.ts";
import { MediumIncidentKind } from "./medium.ts";
import {
  ethernetAttemptsMax,
  ethernetBackoffExponentMax,
  ethernetBitNs,
  ethernetInterFrameGapNs,
  ethernetJamNs,
  ethernetPreambleBytes,
  ethernetPropagationNs,
  ethernetSlotTimeNs,
  nicReceiveLatencyNs,
} from "./network-costs.ts";

const enum EthernetKind {
  Arrival = 0,
  Stop = 1,
  Commit = 2,
  TryStart = 3,
}

/** The time to send a frame of `frameBytes`, its preamble included. */
export function ethernetTransmitNs(frameBytes: number): number {
  return (ethernetPreambleBytes + frameBytes) * 8 * ethernetBitNs;
}

interface Transmission {
  station: number;
  frame: MediumFrame;
  startNs: number;
  endNs: number;
  /** When the station hears another's signal (Infinity: no collision). */
  collisionDetectedNs: number;
  finished: boolean;
}

/** When a transmission stops: its end, or the end of its jam after a collision. */
function stopNs(transmission: Transmission): number {
  return transmission.collisionDetectedNs === Number.POSITIVE_INFINITY
    ? transmission.endNs
    : transmission.collisionDetectedNs + ethernetJamNs;
}

interface Station {
  queue: MediumFrame[];
  /** Collisions of the frame at the head of the queue. */
  collisions: number;
  transmission: Transmission | undefined;
  lastStopNs: number;
  random: SeededRandom;
}

export class Ethernet extends DiscreteEventMedium {
  readonly name = "ethernet";
  private readonly stations: Station[];
  /** Transmissions whose signal may still matter to some station's decision. */
  private recent: Transmission[] = [];

  /**
   * `backoffSlots` replaces the seeded draw (node, collisions so far -> slots to wait); tests
   * use it to force a collision history. It must answer in 0..2^min(collisions,10)-1.
   */
  constructor(
    nodeCount: number,
    seed: number,
    private readonly backoffSlots?: (node: number, collisions: number) => number,
  ) {
    // The closest an event follows the happening that decides it: a given-up frame's
    // TransmitDone, decided when the colliding station starts (at the latest as the 16th
    // collision is detected) and reported after the jam.
    super(nodeCount, ethernetJamNs + nicReceiveLatencyNs);
    const random = new SeededRandom(seed);
    this.stations = Array.from({ length: nodeCount }, (_, node) => ({
      queue: [],
      collisions: 0,
      transmission: undefined,
      lastStopNs: Number.NEGATIVE_INFINITY,
      random: random.fork(`ethernet-backoff-${node}`),
    }));
  }

  protected handle(happening: Happening): void {
    const station = happening.station;
    const nowNs = happening.atNs;
    switch (happening.kind) {
      case EthernetKind.Arrival: {
        const queue = this.stations[station]!.queue;
        queue.push(happening.frame!);
        if (queue.length === 1) this.tryStart(station, nowNs);
        break;
      }
      case EthernetKind.Stop:
        this.stop(station, nowNs);
        break;
      case EthernetKind.Commit:
        this.commit(station, nowNs);
        break;
      case EthernetKind.TryStart:
        this.tryStart(station, nowNs);
        break;
    }
  }

  /** Carrier sense: transmit now if the carrier has been idle for the gap, else look again later. */
  private tryStart(station: number, nowNs: number): void {
    let idleSinceNs = this.stations[station]!.lastStopNs;
    let busyUntilNs = Number.NEGATIVE_INFINITY;
    for (const other of this.recent) {
      if (other.station === station || other.startNs + ethernetPropagationNs > nowNs) continue;
      const silentNs = stopNs(other) + ethernetPropagationNs;
      if (silentNs > nowNs) busyUntilNs = Math.max(busyUntilNs, silentNs);
      else idleSinceNs = Math.max(idleSinceNs, silentNs);
    }
    if (busyUntilNs > nowNs) {
      this.schedule(busyUntilNs, EthernetKind.TryStart, station);
    } else if (nowNs < idleSinceNs + ethernetInterFrameGapNs) {
      this.schedule(idleSinceNs + ethernetInterFrameGapNs, EthernetKind.TryStart, station);
    } else {
      this.start(station, nowNs);
    }
  }

  private start(station: number, nowNs: number): void {
    const state = this.stations[station]!;
    const frame = state.queue[0]!;
    const transmission: Transmission = {
      station,
      frame,
      startNs: nowNs,
      endNs: nowNs + ethernetTransmitNs(frame.timedBytes),
      collisionDetectedNs: Number.POSITIVE_INFINITY,
      finished: false,
    };
    this.recent = this.recent.filter(
      (other) =>
        !other.finished || stopNs(other) + ethernetPropagationNs + ethernetInterFrameGapNs > nowNs,
    );
    // Whoever started less than a propagation delay ago was not heard here, nor hears us yet.
    let detectedNs = Number.POSITIVE_INFINITY;
    for (const other of this.recent) {
      if (other.station === station || other.startNs + ethernetPropagationNs <= nowNs) continue;
      detectedNs = Math.min(detectedNs, other.startNs + ethernetPropagationNs);
      if (other.collisionDetectedNs === Number.POSITIVE_INFINITY) {
        this.collide(other, nowNs + ethernetPropagationNs);
      }
    }
    state.transmission = transmission;
    this.recent.push(transmission);
    if (detectedNs !== Number.POSITIVE_INFINITY) {
      this.collide(transmission, detectedNs);
    } else {
      this.schedule(transmission.endNs, EthernetKind.Stop, station);
      this.schedule(nowNs + ethernetPropagationNs, EthernetKind.Commit, station);
    }
  }

  /** The station hears another signal at `detectedNs`: it jams, and may give the frame up. */
  private collide(transmission: Transmission, detectedNs: number): void {
    const { station, frame } = transmission;
    transmission.collisionDetectedNs = detectedNs;
    this.counters.collisions++;
    this.recordIncident(MediumIncidentKind.Collision, detectedNs, station, frame);
    const jamEndNs = detectedNs + ethernetJamNs;
    this.schedule(jamEndNs, EthernetKind.Stop, station);
    if (this.stations[station]!.collisions + 1 >= ethernetAttemptsMax) {
      this.counters.framesDropped++;
      this.recordIncident(MediumIncidentKind.GiveUp, jamEndNs, station, frame);
      this.emitTransmitDone(frame, jamEndNs + nicReceiveLatencyNs, false);
    }
  }

  /** A propagation delay after the start every station hears it: no collision can come any more. */
  private commit(station: number, nowNs: number): void {
    const transmission = this.stations[station]!.transmission;
    if (transmission === undefined || transmission.startNs + ethernetPropagationNs !== nowNs)
      return;
    if (transmission.collisionDetectedNs !== Number.POSITIVE_INFINITY) return;
    const frame = transmission.frame;
    this.counters.bytesCarried += frame.bytes.length;
    this.deliver(frame, transmission.endNs + ethernetPropagationNs + nicReceiveLatencyNs);
    this.emitTransmitDone(frame, transmission.endNs + nicReceiveLatencyNs, true);
  }

  private stop(station: number, nowNs: number): void {
    const state = this.stations[station]!;
    const transmission = state.transmission;
    if (transmission === undefined || stopNs(transmission) !== nowNs) return;
    transmission.finished = true;
    state.transmission = undefined;
    state.lastStopNs = nowNs;
    if (transmission.collisionDetectedNs !== Number.POSITIVE_INFINITY) {
      state.collisions++;
      if (state.collisions < ethernetAttemptsMax) {
        const exponent = Math.min(state.collisions, ethernetBackoffExponentMax);
        const slots =
          this.backoffSlots?.(station, state.collisions) ?? state.random.below(2 ** exponent);
        this.schedule(nowNs + slots * ethernetSlotTimeNs, EthernetKind.TryStart, station);
        return;
      }
    }
    state.queue.shift();
    state.collisions = 0;
    if (state.queue.length > 0) this.tryStart(station, nowNs);
  }
}
