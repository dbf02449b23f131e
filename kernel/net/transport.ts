// Reliable, ordered kernel-to-kernel messages over an unreliable frame port (docs/network.md,
// "Kernel transport"). Per peer node: a go-back-N sender with a window of frames, cumulative
// acknowledgements, retransmission on a timeout that doubles while nothing is acknowledged,
// and peer-failure detection after `retriesMax` timeouts in a row; a receiver that accepts
// only the next sequence number (earlier ones are duplicates: re-acknowledged and dropped;
// later ones are re-requested by the ack), reassembling fragments into messages. Datagrams
// (load figures, placement queries) bypass all of that: one frame, no ack, may be lost.
// Everything is bounded: the window, the bytes queued per peer, the size of one message.
// Time is the kernel's virtual ns, passed in; the transport keeps no clock of its own.
// Every frame carries its sender's incarnation (how many times its node restarted, mod 128):
// a peer heard with a newer one has crashed and come back empty, so what was under way with
// the old one is lost (the peer is declared failed, if it was not already) and both directions
// start again from sequence 0. A peer declared failed stays failed until it comes back so
// (fail-stop: a partition that outlasts the failure timeout cuts the two sides for good).

import { broadcastNode, type FramePort } from "./frame-port.ts";

export const enum TransportFrameKind {
  Data = 1,
  Ack = 2,
  Datagram = 3,
}

/**
 * kind u8, flags u8 (bit 0: last fragment; bits 1-7: the sender's incarnation), chunk length
 * u16, seq u32, ack u32. The length is needed because a NIC pads a short frame to Ethernet's
 * 46-byte minimum payload.
 */
export const transportHeaderBytes = 12;
const lastFragmentFlag = 1;
const incarnationShift = 1;
const incarnationMask = 0x7f;
/** How far ahead of the known one an incarnation may be and still count as newer (mod 128). */
const incarnationAheadMax = 63;

export interface TransportLimits {
  windowFrames: number;
  /** Bytes of messages queued (sent or not, unacknowledged) per peer before send refuses. */
  queuedBytesMax: number;
  messageBytesMax: number;
  retransmitTimeoutNs: number;
  retransmitTimeoutMaxNs: number;
  /** Timeouts in a row without progress after which the peer is declared failed. */
  retriesMax: number;
}

export const transportLimitsDefault: TransportLimits = {
  windowFrames: 16,
  queuedBytesMax: 16 * 1024 * 1024,
  messageBytesMax: 8 * 1024 * 1024,
  retransmitTimeoutNs: 20_000_000,
  retransmitTimeoutMaxNs: 640_000_000,
  retriesMax: 10,
};

export interface TransportCounters {
  messagesSent: number;
  messagesReceived: number;
  framesSent: number;
  retransmissions: number;
  duplicatesDropped: number;
  outOfOrderDropped: number;
  malformedDropped: number;
  datagramsSent: number;
  datagramsReceived: number;
  peersFailed: number;
  /** Frames from an older incarnation of their sender, sent before it crashed. */
  staleIncarnationDropped: number;
}

export interface TransportHandlers {
  onMessage(sourceNode: number, message: Uint8Array): void;
  onDatagram(sourceNode: number, datagram: Uint8Array): void;
  /** The peer stopped answering: every message queued to it is lost. */
  onPeerFailed(node: number): void;
}

interface OutgoingFrame {
  seq: number;
  payload: Uint8Array;
}

class PeerChannel {
  /** Frames not yet acknowledged, in seq order; the first `sentCount` are on the wire. */
  readonly outgoing: OutgoingFrame[] = [];
  sentCount = 0;
  nextSeq = 0;
  queuedBytes = 0;
  /** Virtual ns when the oldest unacknowledged frame times out; Infinity when none is out. */
  retransmitAtNs = Number.POSITIVE_INFINITY;
  timeoutNs: number;
  timeoutsInARow = 0;
  failed = false;
  /** The peer's incarnation as last heard; undefined before its first frame. */
  incarnation: number | undefined;
  /** Receive side. */
  expectedSeq = 0;
  readonly fragments: Uint8Array[] = [];
  fragmentBytes = 0;
  ackOwed = false;

  constructor(
    readonly node: number,
    timeoutNs: number,
  ) {
    this.timeoutNs = timeoutNs;
  }
}

export class Transport {
  readonly counters: TransportCounters = {
    messagesSent: 0,
    messagesReceived: 0,
    framesSent: 0,
    retransmissions: 0,
    duplicatesDropped: 0,
    outOfOrderDropped: 0,
    malformedDropped: 0,
    datagramsSent: 0,
    datagramsReceived: 0,
    peersFailed: 0,
    staleIncarnationDropped: 0,
  };
  private readonly peers = new Map<number, PeerChannel>();
  /**
   * The same channels in the Map's order (first contact; a new incarnation takes its
   * predecessor's place): the loops run every quantum, and walking a Map allocates.
   */
  private readonly peerList: PeerChannel[] = [];
  private readonly chunkBytesMax: number;
  /** This node's incarnation, in bits 1-7 of every frame's flags byte. */
  private readonly incarnationFlags: number;

  constructor(
    private readonly port: FramePort,
    private readonly handlers: TransportHandlers,
    private readonly limits: TransportLimits = transportLimitsDefault,
    incarnation = 0,
  ) {
    this.chunkBytesMax = port.payloadBytesMax - transportHeaderBytes;
    if (this.chunkBytesMax < 1) throw new RangeError("frame payload too small for the transport");
    this.incarnationFlags = (incarnation & incarnationMask) << incarnationShift;
  }

  /**
   * Queues a message for reliable delivery to `node`. False when it cannot be taken: too
   * large, the peer's queue is full, or the peer has failed.
   */
  send(node: number, message: Uint8Array, nowNs: number): boolean {
    const peer = this.peer(node);
    if (peer.failed || message.length > this.limits.messageBytesMax) return false;
    if (peer.queuedBytes + message.length > this.limits.queuedBytesMax) return false;
    let offset = 0;
    do {
      const end = Math.min(message.length, offset + this.chunkBytesMax);
      const payload = new Uint8Array(transportHeaderBytes + end - offset);
      payload[0] = TransportFrameKind.Data;
      payload[1] = (end === message.length ? lastFragmentFlag : 0) | this.incarnationFlags;
      writeU16(payload, 2, end - offset);
      writeU32(payload, 4, peer.nextSeq);
      payload.set(message.subarray(offset, end), transportHeaderBytes);
      peer.outgoing.push({ seq: peer.nextSeq, payload });
      peer.nextSeq = (peer.nextSeq + 1) >>> 0;
      offset = end;
    } while (offset < message.length);
    peer.queuedBytes += message.length;
    this.counters.messagesSent++;
    this.pump(node, peer, nowNs);
    return true;
  }

  /**
   * Whether send would take a message of `messageBytes` to `node` now: false while the peer's
   * queue is too full (it drains as acks come), and for good once the peer has failed.
   */
  hasRoomFor(node: number, messageBytes: number): boolean {
    const peer = this.peers.get(node);
    if (peer?.failed || messageBytes > this.limits.messageBytesMax) return false;
    return (peer?.queuedBytes ?? 0) + messageBytes <= this.limits.queuedBytesMax;
  }

  /** Bytes of messages queued to `node` and not yet acknowledged. */
  queuedBytesTo(node: number): number {
    return this.peers.get(node)?.queuedBytes ?? 0;
  }

  /** One unreliable frame to `node`, or to every node with broadcastNode. */
  sendDatagram(node: number, datagram: Uint8Array): boolean {
    if (datagram.length > this.chunkBytesMax) return false;
    const payload = new Uint8Array(transportHeaderBytes + datagram.length);
    payload[0] = TransportFrameKind.Datagram;
    payload[1] = this.incarnationFlags;
    writeU16(payload, 2, datagram.length);
    payload.set(datagram, transportHeaderBytes);
    const sent = this.port.sendFrame(node, payload);
    if (sent) this.counters.datagramsSent++;
    return sent;
  }

  /** Takes every frame that arrived, then sends what the window and the NIC allow. */
  service(nowNs: number): void {
    for (let arrived = this.port.receiveFrame(); arrived; arrived = this.port.receiveFrame()) {
      this.accept(arrived.sourceNode, arrived.payload, nowNs);
    }
    for (let index = 0; index < this.peerList.length; index++) {
      const peer = this.peerList[index]!;
      const node = peer.node;
      this.pump(node, peer, nowNs);
      // A data frame carries the ack too; a bare ack goes only when nothing was sent.
      if (peer.ackOwed) this.sendAck(node, peer);
    }
  }

  /** Fires retransmission timeouts due by `nowNs`. */
  fireTimers(nowNs: number): void {
    for (let index = 0; index < this.peerList.length; index++) {
      const peer = this.peerList[index]!;
      if (peer.retransmitAtNs > nowNs) continue;
      const node = peer.node;
      peer.timeoutsInARow++;
      if (peer.timeoutsInARow > this.limits.retriesMax) {
        this.failPeer(node, peer);
        continue;
      }
      this.counters.retransmissions += peer.sentCount;
      peer.sentCount = 0;
      peer.timeoutNs = Math.min(peer.timeoutNs * 2, this.limits.retransmitTimeoutMaxNs);
      peer.retransmitAtNs = Number.POSITIVE_INFINITY;
      this.pump(node, peer, nowNs);
    }
  }

  /** The earliest retransmission timeout, Infinity when nothing is unacknowledged. */
  nextTimerNs(): number {
    let earliest = Number.POSITIVE_INFINITY;
    for (const peer of this.peerList) earliest = Math.min(earliest, peer.retransmitAtNs);
    return earliest;
  }

  /** Whether any message is still unacknowledged or unsent (the cluster is not quiet). */
  get busy(): boolean {
    for (const peer of this.peerList) {
      if (peer.outgoing.length > 0 || peer.ackOwed) return true;
    }
    return false;
  }

  hasFailed(node: number): boolean {
    return this.peers.get(node)?.failed ?? false;
  }

  private peer(node: number): PeerChannel {
    let peer = this.peers.get(node);
    if (!peer) {
      peer = new PeerChannel(node, this.limits.retransmitTimeoutNs);
      this.peers.set(node, peer);
      this.peerList.push(peer);
    }
    return peer;
  }

  /** Puts unsent frames of the window on the wire while the NIC takes them. */
  private pump(node: number, peer: PeerChannel, nowNs: number): void {
    const windowEnd = Math.min(peer.outgoing.length, this.limits.windowFrames);
    while (peer.sentCount < windowEnd) {
      const frame = peer.outgoing[peer.sentCount]!;
      writeU32(frame.payload, 8, peer.expectedSeq);
      if (!this.port.sendFrame(node, frame.payload)) break;
      peer.ackOwed = false;
      peer.sentCount++;
      this.counters.framesSent++;
      if (peer.retransmitAtNs === Number.POSITIVE_INFINITY) {
        peer.retransmitAtNs = nowNs + peer.timeoutNs;
      }
    }
  }

  private accept(sourceNode: number, frame: Uint8Array, nowNs: number): void {
    const chunkBytes = frame.length >= transportHeaderBytes ? frame[2]! | (frame[3]! << 8) : -1;
    if (
      chunkBytes < 0 ||
      transportHeaderBytes + chunkBytes > frame.length ||
      sourceNode === broadcastNode
    ) {
      this.counters.malformedDropped++;
      return;
    }
    const payload = frame.subarray(0, transportHeaderBytes + chunkBytes);
    const kind = payload[0];
    if (!this.admitIncarnation(sourceNode, (payload[1]! >>> incarnationShift) & incarnationMask)) {
      this.counters.staleIncarnationDropped++;
      return;
    }
    if (kind === TransportFrameKind.Datagram) {
      this.counters.datagramsReceived++;
      this.handlers.onDatagram(sourceNode, payload.subarray(transportHeaderBytes));
      return;
    }
    if (kind !== TransportFrameKind.Data && kind !== TransportFrameKind.Ack) {
      this.counters.malformedDropped++;
      return;
    }
    const peer = this.peer(sourceNode);
    if (peer.failed) return;
    this.acknowledge(peer, readU32(payload, 8), nowNs);
    if (kind === TransportFrameKind.Ack) return;
    const seq = readU32(payload, 4);
    peer.ackOwed = true;
    if (seq !== peer.expectedSeq) {
      if (((seq - peer.expectedSeq) | 0) < 0) this.counters.duplicatesDropped++;
      else this.counters.outOfOrderDropped++;
      return;
    }
    peer.expectedSeq = (peer.expectedSeq + 1) >>> 0;
    const chunk = payload.subarray(transportHeaderBytes);
    if (peer.fragmentBytes + chunk.length > this.limits.messageBytesMax) {
      // A peer that never ends its message: drop what it sent rather than grow without bound.
      peer.fragments.length = 0;
      peer.fragmentBytes = 0;
      this.counters.malformedDropped++;
      return;
    }
    peer.fragments.push(chunk.slice());
    peer.fragmentBytes += chunk.length;
    if ((payload[1]! & lastFragmentFlag) === 0) return;
    const message = concatenate(peer.fragments, peer.fragmentBytes);
    peer.fragments.length = 0;
    peer.fragmentBytes = 0;
    this.counters.messagesReceived++;
    this.handlers.onMessage(sourceNode, message);
  }

  /**
   * False for a frame from an older incarnation of the peer (sent before it crashed). A newer
   * one means the peer restarted: the old one is failed and the channel starts afresh.
   */
  private admitIncarnation(node: number, incarnation: number): boolean {
    let peer = this.peer(node);
    if (peer.incarnation === undefined) {
      peer.incarnation = incarnation;
      return true;
    }
    const ahead = (incarnation - peer.incarnation) & incarnationMask;
    if (ahead === 0) return true;
    if (ahead > incarnationAheadMax) return false;
    if (!peer.failed) this.failPeer(node, peer);
    const replaced = peer;
    peer = new PeerChannel(node, this.limits.retransmitTimeoutNs);
    peer.incarnation = incarnation;
    this.peers.set(node, peer);
    this.peerList[this.peerList.indexOf(replaced)] = peer;
    return true;
  }

  /** Drops the frames the peer's cumulative `ack` (its next expected seq) covers. */
  private acknowledge(peer: PeerChannel, ack: number, nowNs: number): void {
    let covered = 0;
    while (covered < peer.outgoing.length && ((ack - peer.outgoing[covered]!.seq) | 0) > 0) {
      covered++;
    }
    if (covered === 0) return;
    for (let index = 0; index < covered; index++) {
      peer.queuedBytes -= peer.outgoing[index]!.payload.length - transportHeaderBytes;
    }
    peer.outgoing.splice(0, covered);
    peer.sentCount = Math.max(0, peer.sentCount - covered);
    peer.timeoutsInARow = 0;
    peer.timeoutNs = this.limits.retransmitTimeoutNs;
    peer.retransmitAtNs = peer.sentCount > 0 ? nowNs + peer.timeoutNs : Number.POSITIVE_INFINITY;
  }

  private sendAck(node: number, peer: PeerChannel): void {
    const payload = new Uint8Array(transportHeaderBytes);
    payload[0] = TransportFrameKind.Ack;
    payload[1] = this.incarnationFlags;
    writeU32(payload, 8, peer.expectedSeq);
    if (this.port.sendFrame(node, payload)) {
      peer.ackOwed = false;
      this.counters.framesSent++;
    }
  }

  private failPeer(node: number, peer: PeerChannel): void {
    peer.failed = true;
    peer.outgoing.length = 0;
    peer.sentCount = 0;
    peer.queuedBytes = 0;
    peer.retransmitAtNs = Number.POSITIVE_INFINITY;
    this.counters.peersFailed++;
    this.handlers.onPeerFailed(node);
  }
}

function writeU16(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = value & 0xff;
  bytes[offset + 1] = (value >>> 8) & 0xff;
}

function writeU32(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = value & 0xff;
  bytes[offset + 1] = (value >>> 8) & 0xff;
  bytes[offset + 2] = (value >>> 16) & 0xff;
  bytes[offset + 3] = (value >>> 24) & 0xff;
}

function readU32(bytes: Uint8Array, offset: number): number {
  return (
    (bytes[offset]! | (bytes[offset + 1]! << 8) | (bytes[offset + 2]! << 16)) +
    bytes[offset + 3]! * 0x1000000
  );
}

function concatenate(parts: readonly Uint8Array[], totalBytes: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const joined = new Uint8Array(totalBytes);
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}
