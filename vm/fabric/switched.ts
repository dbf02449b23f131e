// Switched full-duplex Ethernet: every node has its own link to one store-and-forward switch,
// so nothing collides. A NIC sends its frames back to back on its link (preamble, frame,
// inter-frame gap); the switch takes a frame in whole, decides where it goes after a
// forwarding latency and queues it on the destination port (every other port for a
// broadcast); each output port sends its queue in order. A port holds `portQueueFrames`
// frames, the one on the wire included; a frame arriving at a full port is dropped (tail
// drop, counted in framesDropped). The sender's transmit-done comes when its own link has
// sent the frame: a NIC never learns of a drop in the switch. Formulas in docs/network.md.
// Left out: flow control (802.3x pause), address learning and flooding of unknown addresses
// (the switch knows every node's address; a frame for no node is discarded), cut-through.

import {
  DiscreteEventMedium,
  destinationAll,
  type Happening,
  type MediumFrame,
} from "./discrete-event-medium.ts";
import { frameBytesMin } from "./ethernet-frame.ts";
import { MediumIncidentKind } from "./medium.ts";
import {
  ethernetPreambleBytes,
  nicReceiveLatencyNs,
  type switchedBitRatesMbps,
  switchedInterFrameGapBits,
  switchedLinkPropagationNs,
  switchForwardingLatencyNs,
  switchPortQueueFrames,
} from "./network-costs.ts";

export type SwitchedBitRateMbps = (typeof switchedBitRatesMbps)[number];

const enum SwitchedKind {
  Arrival = 0,
  InSwitch = 1,
}

/** Timing of one link at one bit rate; all in ns. */
export class SwitchedTiming {
  readonly byteNs: number;
  readonly interFrameGapNs: number;

  constructor(readonly bitRateMbps: SwitchedBitRateMbps) {
    this.byteNs = 8000 / bitRateMbps;
    this.interFrameGapNs = (switchedInterFrameGapBits * 1000) / bitRateMbps;
  }

  /** The time to send a frame of `frameBytes` on a link, its preamble included. */
  transmitNs(frameBytes: number): number {
    return (ethernetPreambleBytes + frameBytes) * this.byteNs;
  }
}

interface OutputPort {
  /** When each frame in the port's queue has left it, oldest first. */
  queuedEndsNs: number[];
  /** When the port may start its next frame (the last one's end plus the gap). */
  freeAtNs: number;
}

export class Switched extends DiscreteEventMedium {
  readonly name: string;
  readonly timing: SwitchedTiming;
  readonly portQueueFrames: number;
  /** Per node: when its link to the switch may start its next frame. */
  private readonly uplinkFreeAtNs: number[];
  private readonly ports: OutputPort[];

  constructor(
    nodeCount: number,
    bitRateMbps: SwitchedBitRateMbps,
    portQueueFrames = switchPortQueueFrames,
  ) {
    const timing = new SwitchedTiming(bitRateMbps);
    super(nodeCount, timing.transmitNs(frameBytesMin) + nicReceiveLatencyNs);
    if (!Number.isInteger(portQueueFrames) || portQueueFrames < 1) {
      throw new RangeError(`a switch port must hold at least 1 frame, got ${portQueueFrames}`);
    }
    this.name = `switched:${bitRateMbps}`;
    this.timing = timing;
    this.portQueueFrames = portQueueFrames;
    this.uplinkFreeAtNs = new Array<number>(nodeCount).fill(Number.NEGATIVE_INFINITY);
    this.ports = Array.from({ length: nodeCount }, () => ({
      queuedEndsNs: [],
      freeAtNs: Number.NEGATIVE_INFINITY,
    }));
  }

  protected handle(happening: Happening): void {
    const frame = happening.frame!;
    if (happening.kind === SwitchedKind.Arrival) this.sendOnUplink(frame, happening.atNs);
    else this.forward(frame, happening.atNs);
  }

  private sendOnUplink(frame: MediumFrame, nowNs: number): void {
    const source = frame.sourceNode;
    const startNs = Math.max(nowNs, this.uplinkFreeAtNs[source]!);
    const endNs = startNs + this.timing.transmitNs(frame.timedBytes);
    this.uplinkFreeAtNs[source] = endNs + this.timing.interFrameGapNs;
    this.counters.bytesCarried += frame.bytes.length;
    this.emitTransmitDone(frame, endNs + nicReceiveLatencyNs, true);
    const decidedNs = endNs + switchedLinkPropagationNs + switchForwardingLatencyNs;
    this.schedule(decidedNs, SwitchedKind.InSwitch, source, frame);
  }

  private forward(frame: MediumFrame, nowNs: number): void {
    if (frame.destinationNode === destinationAll) {
      for (let node = 0; node < this.nodeCount; node++) {
        if (node !== frame.sourceNode) this.enqueue(frame, node, nowNs);
      }
    } else if (frame.destinationNode >= 0) {
      this.enqueue(frame, frame.destinationNode, nowNs);
    }
  }

  private enqueue(frame: MediumFrame, node: number, nowNs: number): void {
    const port = this.ports[node]!;
    const ends = port.queuedEndsNs;
    while (ends.length > 0 && ends[0]! <= nowNs) ends.shift();
    if (ends.length >= this.portQueueFrames) {
      this.counters.framesDropped++;
      this.recordIncident(MediumIncidentKind.QueueDrop, nowNs, node, frame);
      return;
    }
    const startNs = Math.max(nowNs, port.freeAtNs);
    const endNs = startNs + this.timing.transmitNs(frame.timedBytes);
    port.freeAtNs = endNs + this.timing.interFrameGapNs;
    ends.push(endNs);
    this.emitReceive(frame, node, endNs + switchedLinkPropagationNs + nicReceiveLatencyNs);
  }
}
