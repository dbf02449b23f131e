// The network interface card: one per machine, the only way a node reaches another. The
// kernel hands it frames to send (it builds the Ethernet II bytes and appends the FCS) and
// takes received frames from a bounded receive ring; the cluster takes the handed frames to
// the medium and schedules the medium's events back on it, and the machine moves each event
// in when its time has come. A Receive checks the FCS, then the destination address (this
// NIC's or broadcast), then room in the ring; any failure drops the frame and counts it,
// never a throw. Two IRQ lines, level-triggered until acknowledged: 1 when a frame entered
// the ring, 2 when a transmission ended. The transmit queue holds frames handed and not yet
// reported done; a send beyond it is refused and counted. Timing (DMA, interrupt latency)
// lives in the medium's NIC latency (vm/fabric/network-costs.ts). A powered-off NIC (its node
// crashed) is silent: it refuses sends and drops every frame that reaches it, counted. Left
// out: promiscuous mode, multicast filters, per-frame transmit status for the kernel (it sees
// counters).

import {
  buildFrame,
  fcsBytes,
  fcsMatches,
  frameDestinationMac,
  frameFieldProblem,
  headerBytes,
} from "../fabric/ethernet-frame.ts";
import { broadcastMac, macForNode, readMac } from "../fabric/mac-address.ts";
import { type FrameEvent, FrameEventKind, type FrameSubmission } from "../fabric/medium.ts";
import type { DeviceDescriptor } from "../machine/device-descriptor.ts";

export const nicReceiveIrq = 1;
export const nicTransmitDoneIrq = 2;
/** Bits of the machine's pending-IRQ mask (bit n = IRQ n). */
export const nicReceiveIrqBit = 1 << nicReceiveIrq;
export const nicTransmitDoneIrqBit = 1 << nicTransmitDoneIrq;
export const nicIrqBits = nicReceiveIrqBit | nicTransmitDoneIrqBit;

export const nicRxRingFramesDefault = 64;
export const nicTxQueueFramesDefault = 64;
/** The largest ring or queue a configuration may ask for. */
export const nicFramesMax = 4096;
/** Events scheduled and not yet moved in; more means the cluster broke the protocol. */
export const nicPendingEventsMax = 1 << 20;

export const nicDescriptor: DeviceDescriptor = {
  name: "nic",
  irq: nicReceiveIrq,
  irqLines: [
    { irq: nicReceiveIrq, meaning: "receive: a frame entered the receive ring" },
    { irq: nicTransmitDoneIrq, meaning: "transmit done: a handed frame left the transmit queue" },
  ],
  registers: [
    { name: "tx-frame", widthBits: 8, access: "write" },
    { name: "rx-frame", widthBits: 8, access: "read" },
    { name: "rx-count", widthBits: 32, access: "read" },
    { name: "tx-queued", widthBits: 32, access: "read" },
    { name: "irq-ack", widthBits: 8, access: "write" },
  ],
};

export interface NicOptions {
  /** Frames the receive ring holds; 1..nicFramesMax, default 64. */
  rxRingFrames?: number;
  /** Frames handed and not yet done the NIC holds; 1..nicFramesMax, default 64. */
  txQueueFrames?: number;
}

/** A frame from the receive ring. */
export interface ReceivedFrame {
  destinationMac: number;
  sourceMac: number;
  etherType: number;
  /** The payload with any padding up to 46 bytes (Ethernet II has no length field). */
  payload: Uint8Array;
  /** When it arrived (the Receive event's time). */
  atNs: number;
}

export interface NicCounters {
  framesSent: number;
  framesReceived: number;
  /** Received frames whose FCS did not match (corrupted on the way). */
  fcsDrops: number;
  /** Received frames for which the ring had no room. */
  rxOverflowDrops: number;
  /** Received frames addressed to another NIC. */
  addressDrops: number;
  /** Sends refused because the transmit queue was full. */
  txQueueFullRefusals: number;
  /** Sends refused because a field was bad: payload over 1500 bytes, ethertype, address. */
  invalidFrameRefusals: number;
  /** Transmit-done reports of frames the medium gave up on. */
  transmitFailures: number;
  /** Frames that reached the NIC while it was powered off. */
  poweredOffDrops: number;
}

export interface NicState {
  node: number;
  rxRingFrames: number;
  txQueueFrames: number;
  nextSeq: number;
  txQueued: number;
  outgoing: FrameSubmission[];
  pending: FrameEvent[];
  rxRing: ReceivedFrame[];
  raisedIrqBits: number;
  counters: NicCounters;
  poweredOff?: boolean;
}

function framesOption(value: number | undefined, fallback: number, name: string): number {
  const frames = value ?? fallback;
  if (!Number.isInteger(frames) || frames < 1 || frames > nicFramesMax) {
    throw new RangeError(`${name} must be an integer in 1..${nicFramesMax}, got ${frames}`);
  }
  return frames;
}

function zeroCounters(): NicCounters {
  return {
    framesSent: 0,
    framesReceived: 0,
    fcsDrops: 0,
    rxOverflowDrops: 0,
    addressDrops: 0,
    txQueueFullRefusals: 0,
    invalidFrameRefusals: 0,
    transmitFailures: 0,
    poweredOffDrops: 0,
  };
}

export class Nic {
  readonly descriptor = nicDescriptor;
  readonly node: number;
  readonly mac: number;
  readonly rxRingFrames: number;
  readonly txQueueFrames: number;
  counters: NicCounters = zeroCounters();
  private nextSeq = 0;
  private txQueuedFrames = 0;
  private outgoing: FrameSubmission[] = [];
  /** Scheduled events in (atNs, arrival) order; `pendingHead` is the next to move in. */
  private pending: FrameEvent[] = [];
  private pendingHead = 0;
  /** The receive ring: `rxCount` frames from `rxHead`, wrapping. */
  private rxRing: (ReceivedFrame | undefined)[];
  private rxHead = 0;
  private rxCount = 0;
  private raisedIrqBits = 0;
  private poweredOff = false;

  constructor(node: number, options: NicOptions = {}) {
    this.mac = macForNode(node);
    this.node = node;
    this.rxRingFrames = framesOption(options.rxRingFrames, nicRxRingFramesDefault, "rxRingFrames");
    this.txQueueFrames = framesOption(
      options.txQueueFrames,
      nicTxQueueFramesDefault,
      "txQueueFrames",
    );
    this.rxRing = new Array(this.rxRingFrames).fill(undefined);
  }

  /**
   * Cuts the power (the node crashed): the receive ring, the transmit queue's count and the
   * raised lines are lost; until powerOn nothing is sent and every arriving frame is dropped.
   * Frames already handed to the cluster stay handed: they left before the crash.
   */
  powerOff(): void {
    this.poweredOff = true;
    this.rxRing.fill(undefined);
    this.rxHead = 0;
    this.rxCount = 0;
    this.txQueuedFrames = 0;
    this.raisedIrqBits = 0;
  }

  /** Power back (the node restarts): an empty NIC with its counters and frame numbering kept. */
  powerOn(): void {
    this.poweredOff = false;
  }

  // --- the kernel's side

  /**
   * Hands a frame to the NIC at virtual time `nowNs`: builds it with its FCS and queues it.
   * False, and counted, when the transmit queue is full or a field is bad.
   */
  send(destinationMac: number, etherType: number, payload: Uint8Array, nowNs: number): boolean {
    if (this.poweredOff) return false;
    if (frameFieldProblem(destinationMac, this.mac, etherType, payload.length) !== undefined) {
      this.counters.invalidFrameRefusals++;
      return false;
    }
    if (this.txQueuedFrames >= this.txQueueFrames) {
      this.counters.txQueueFullRefusals++;
      return false;
    }
    const bytes = buildFrame(destinationMac, this.mac, etherType, payload);
    this.outgoing.push({ sourceNode: this.node, seq: this.nextSeq++, handedAtNs: nowNs, bytes });
    this.txQueuedFrames++;
    this.counters.framesSent++;
    return true;
  }

  /** Takes the oldest frame from the receive ring, or undefined when it is empty. */
  receive(): ReceivedFrame | undefined {
    if (this.rxCount === 0) return undefined;
    const frame = this.rxRing[this.rxHead];
    this.rxRing[this.rxHead] = undefined;
    this.rxHead = (this.rxHead + 1) % this.rxRingFrames;
    this.rxCount--;
    return frame;
  }

  /** Frames waiting in the receive ring. */
  get rxFrames(): number {
    return this.rxCount;
  }

  /** Frames handed and not yet reported done. */
  get txQueued(): number {
    return this.txQueuedFrames;
  }

  /** Raised lines as machine IRQ bits (nicReceiveIrqBit, nicTransmitDoneIrqBit). */
  raisedIrqMask(): number {
    return this.raisedIrqBits;
  }

  /** Lowers one line (nicReceiveIrq or nicTransmitDoneIrq), or both when none is named. */
  acknowledge(irq?: number): void {
    if (irq === undefined) this.raisedIrqBits = 0;
    else this.raisedIrqBits &= ~(1 << irq);
  }

  // --- the cluster's side

  /** The frames handed since the last call, in order (seq counts per node from 0). */
  takeOutgoing(): FrameSubmission[] {
    const taken = this.outgoing;
    if (taken.length > 0) this.outgoing = [];
    return taken;
  }

  /** Schedules a medium event for this NIC; events must come for this node. */
  schedule(event: FrameEvent): void {
    if (event.node !== this.node) {
      throw new RangeError(
        `an event for node ${event.node} was scheduled on node ${this.node}'s NIC`,
      );
    }
    if (this.pending.length - this.pendingHead >= nicPendingEventsMax) {
      throw new RangeError(`node ${this.node}'s NIC has ${nicPendingEventsMax} events pending`);
    }
    const pending = this.pending;
    let index = pending.length;
    pending.push(event);
    while (index > this.pendingHead && pending[index - 1]!.atNs > event.atNs) {
      pending[index] = pending[index - 1]!;
      index--;
    }
    pending[index] = event;
  }

  /** The time of the next scheduled event, Infinity when none is. */
  nextEventNs(): number {
    return this.pendingHead < this.pending.length
      ? this.pending[this.pendingHead]!.atNs
      : Number.POSITIVE_INFINITY;
  }

  /** Moves the next scheduled event in (the machine calls this once it is due). */
  deliverNext(): void {
    if (this.pendingHead >= this.pending.length) return;
    const event = this.pending[this.pendingHead]!;
    this.pendingHead++;
    if (this.pendingHead === this.pending.length) {
      this.pending.length = 0;
      this.pendingHead = 0;
    } else if (this.pendingHead >= 1024 && this.pendingHead * 2 >= this.pending.length) {
      this.pending.splice(0, this.pendingHead);
      this.pendingHead = 0;
    }
    if (this.poweredOff) {
      if (event.kind === FrameEventKind.Receive) this.counters.poweredOffDrops++;
    } else if (event.kind === FrameEventKind.Receive) this.accept(event.bytes, event.atNs);
    else this.transmitDone(event.delivered);
  }

  /** Moves in every event due at or before `nowNs`. */
  deliverDue(nowNs: number): void {
    while (
      this.pendingHead < this.pending.length &&
      this.pending[this.pendingHead]!.atNs <= nowNs
    ) {
      this.deliverNext();
    }
  }

  private accept(bytes: Uint8Array, atNs: number): void {
    if (!fcsMatches(bytes)) {
      this.counters.fcsDrops++;
      return;
    }
    const destinationMac = frameDestinationMac(bytes);
    if (destinationMac !== this.mac && destinationMac !== broadcastMac) {
      this.counters.addressDrops++;
      return;
    }
    if (this.rxCount >= this.rxRingFrames) {
      this.counters.rxOverflowDrops++;
      return;
    }
    this.rxRing[(this.rxHead + this.rxCount) % this.rxRingFrames] = {
      destinationMac,
      sourceMac: readMac(bytes, 6),
      etherType: (bytes[12]! << 8) | bytes[13]!,
      payload: bytes.slice(headerBytes, bytes.length - fcsBytes),
      atNs,
    };
    this.rxCount++;
    this.counters.framesReceived++;
    this.raisedIrqBits |= nicReceiveIrqBit;
  }

  private transmitDone(delivered: boolean): void {
    if (this.txQueuedFrames > 0) this.txQueuedFrames--;
    if (!delivered) this.counters.transmitFailures++;
    this.raisedIrqBits |= nicTransmitDoneIrqBit;
  }

  getState(): NicState {
    const rxRing: ReceivedFrame[] = [];
    for (let i = 0; i < this.rxCount; i++) {
      const frame = this.rxRing[(this.rxHead + i) % this.rxRingFrames]!;
      rxRing.push({ ...frame, payload: frame.payload.slice() });
    }
    return {
      node: this.node,
      rxRingFrames: this.rxRingFrames,
      txQueueFrames: this.txQueueFrames,
      nextSeq: this.nextSeq,
      txQueued: this.txQueuedFrames,
      outgoing: this.outgoing.map((frame) => ({ ...frame, bytes: frame.bytes.slice() })),
      pending: this.pending
        .slice(this.pendingHead)
        .map((event) => ({ ...event, bytes: event.bytes.slice() })),
      rxRing,
      raisedIrqBits: this.raisedIrqBits,
      counters: { ...this.counters },
      poweredOff: this.poweredOff,
    };
  }

  /** Restores a state taken from a NIC of the same node and sizes. */
  setState(state: NicState): void {
    if (
      state.node !== this.node ||
      state.rxRingFrames !== this.rxRingFrames ||
      state.txQueueFrames !== this.txQueueFrames ||
      state.rxRing.length > this.rxRingFrames
    ) {
      throw new RangeError(
        `NIC state is for node ${state.node} (ring ${state.rxRingFrames}, queue ${state.txQueueFrames}), this NIC is node ${this.node} (ring ${this.rxRingFrames}, queue ${this.txQueueFrames})`,
      );
    }
    this.nextSeq = state.nextSeq;
    this.txQueuedFrames = state.txQueued;
    this.outgoing = state.outgoing.map((frame) => ({ ...frame, bytes: frame.bytes.slice() }));
    this.pending = state.pending.map((event) => ({ ...event, bytes: event.bytes.slice() }));
    this.pendingHead = 0;
    this.rxRing = new Array(this.rxRingFrames).fill(undefined);
    this.rxHead = 0;
    this.rxCount = state.rxRing.length;
    state.rxRing.forEach((frame, i) => {
      this.rxRing[i] = { ...frame, payload: frame.payload.slice() };
    });
    this.raisedIrqBits = state.raisedIrqBits;
    this.counters = { ...state.counters };
    this.poweredOff = state.poweredOff ?? false;
  }
}
