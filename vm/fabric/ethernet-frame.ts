// Ethernet II frames as the bytes a NIC puts on the wire after the preamble: destination MAC
// (6), source MAC (6), ethertype (2, big-endian, at least 0x0600), payload padded with zeros
// to 46 bytes and at most 1500, FCS (4): the CRC-32 of everything before it, least
// significant byte first as Ethernet transmits it. A frame is 64..1518 bytes. Ethernet II has
// no length field, so a payload shorter than 46 bytes comes back with its padding: protocols
// above carry their own lengths. Left out: 802.1Q tags, 802.3 length/LLC frames, jumbo frames.

import { crc32 } from "./crc32.ts";
import { readMac, writeMac } from "./mac-address.ts";

export const headerBytes = 14;
export const fcsBytes = 4;
export const payloadBytesMin = 46;
export const payloadBytesMax = 1500;
export const frameBytesMin = headerBytes + payloadBytesMin + fcsBytes;
export const frameBytesMax = headerBytes + payloadBytesMax + fcsBytes;
/** Ethertypes below this value are 802.3 lengths, not Ethernet II types. */
export const etherTypeMin = 0x0600;

export interface ParsedFrame {
  destinationMac: number;
  sourceMac: number;
  etherType: number;
  /** The payload with any padding (a view into the frame's bytes). */
  payload: Uint8Array;
}

/** A frame that does not parse; the message starts with the offending field's name. */
export class FrameError extends RangeError {
  readonly field: string;

  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = "FrameError";
    this.field = field;
  }
}

/** Builds a frame with its FCS; throws FrameError for a bad ethertype or payload size. */
export function buildFrame(
  destinationMac: number,
  sourceMac: number,
  etherType: number,
  payload: Uint8Array,
): Uint8Array {
  const problem = frameFieldProblem(destinationMac, sourceMac, etherType, payload.length);
  if (problem) throw problem;
  const frameBytes = headerBytes + Math.max(payload.length, payloadBytesMin) + fcsBytes;
  const frame = new Uint8Array(frameBytes);
  writeMac(frame, 0, destinationMac);
  writeMac(frame, 6, sourceMac);
  frame[12] = etherType >>> 8;
  frame[13] = etherType & 0xff;
  frame.set(payload, headerBytes);
  writeFcs(frame);
  return frame;
}

/** The first field buildFrame would refuse, or undefined when all are valid. */
export function frameFieldProblem(
  destinationMac: number,
  sourceMac: number,
  etherType: number,
  payloadBytes: number,
): FrameError | undefined {
  if (!isMac(destinationMac))
    return new FrameError("destination", `${destinationMac} is not a 48-bit MAC`);
  if (!isMac(sourceMac)) return new FrameError("source", `${sourceMac} is not a 48-bit MAC`);
  if (!Number.isInteger(etherType) || etherType < etherTypeMin || etherType > 0xffff) {
    return new FrameError("ethertype", `${etherType} is outside 0x0600..0xffff`);
  }
  if (payloadBytes > payloadBytesMax) {
    return new FrameError(
      "payload",
      `${payloadBytes} bytes exceed the ${payloadBytesMax}-byte maximum`,
    );
  }
  return undefined;
}

function isMac(mac: number): boolean {
  return Number.isInteger(mac) && mac >= 0 && mac <= 0xffff_ffff_ffff;
}

/** Computes the FCS of frame[0, length-4) and stores it in the last 4 bytes. */
export function writeFcs(frame: Uint8Array): void {
  const fcs = crc32(frame, 0, frame.length - fcsBytes);
  const at = frame.length - fcsBytes;
  frame[at] = fcs & 0xff;
  frame[at + 1] = (fcs >>> 8) & 0xff;
  frame[at + 2] = (fcs >>> 16) & 0xff;
  frame[at + 3] = fcs >>> 24;
}

/** Whether the frame is long enough to carry a header and an FCS and its FCS matches. */
export function fcsMatches(frame: Uint8Array): boolean {
  if (frame.length < headerBytes + fcsBytes) return false;
  const at = frame.length - fcsBytes;
  const stored =
    (frame[at]! | (frame[at + 1]! << 8) | (frame[at + 2]! << 16) | (frame[at + 3]! << 24)) >>> 0;
  return stored === crc32(frame, 0, at);
}

/** The destination address of a frame at least 6 bytes long, else -1. */
export function frameDestinationMac(frame: Uint8Array): number {
  return frame.length >= 6 ? readMac(frame, 0) : -1;
}

/** Parses a frame; throws FrameError naming the first bad field (length, fcs, ethertype). */
export function parseFrame(frame: Uint8Array): ParsedFrame {
  if (frame.length < frameBytesMin || frame.length > frameBytesMax) {
    throw new FrameError(
      "length",
      `${frame.length} bytes is outside the ${frameBytesMin}..${frameBytesMax}-byte frame size`,
    );
  }
  if (!fcsMatches(frame))
    throw new FrameError("fcs", "the CRC-32 does not match the frame's bytes");
  const etherType = (frame[12]! << 8) | frame[13]!;
  if (etherType < etherTypeMin) {
    throw new FrameError(
      "ethertype",
      `0x${etherType.toString(16).padStart(4, "0")} is an 802.3 length, not an Ethernet II type`,
    );
  }
  return {
    destinationMac: readMac(frame, 0),
    sourceMac: readMac(frame, 6),
    etherType,
    payload: frame.subarray(headerBytes, frame.length - fcsBytes),
  };
}
