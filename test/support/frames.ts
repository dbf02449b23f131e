// Frames and submissions for fabric and NIC tests.

import { buildFrame } from "../../vm/fabric/ethernet-frame.ts";
import { broadcastMac, macForNode } from "../../vm/fabric/mac-address.ts";
import type { FrameEvent, FrameSubmission } from "../../vm/fabric/medium.ts";

export const testEtherType = 0x88b5;

/** A frame from node `from` to node `to` (-1: broadcast) with `payloadBytes` bytes of payload. */
export function frameBetween(from: number, to: number, payloadBytes: number, fill = 0): Uint8Array {
  const destination = to < 0 ? broadcastMac : macForNode(to);
  return buildFrame(
    destination,
    macForNode(from),
    testEtherType,
    new Uint8Array(payloadBytes).fill(fill),
  );
}

export function submission(
  from: number,
  to: number,
  payloadBytes: number,
  handedAtNs: number,
  seq = 0,
): FrameSubmission {
  return {
    sourceNode: from,
    seq,
    handedAtNs,
    bytes: frameBetween(from, to, payloadBytes, seq & 0xff),
  };
}

/** An event as a line, for comparing event lists in one expect. */
export function describeEvent(event: FrameEvent): string {
  const kind = event.kind === 0 ? "receive" : "done";
  const tail =
    event.kind === 0
      ? `bytes ${event.bytes.length} crc ${checksum(event.bytes)}`
      : `delivered ${event.delivered}`;
  return `${event.atNs} ${kind} node ${event.node} from ${event.sourceNode}#${event.seq} ${tail}`;
}

function checksum(bytes: Uint8Array): number {
  let sum = 0;
  for (const byte of bytes) sum = (Math.imul(sum, 31) + byte) | 0;
  return sum;
}
