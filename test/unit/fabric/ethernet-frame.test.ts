// Ethernet II frames: layout (dest, src, big-endian ethertype, payload padded to 46, FCS
// least significant byte first), the CRC residue 0x2144DF1C that a whole good frame leaves,
// MAC addresses of nodes, and parse errors that name the field.

import { describe, expect, it } from "vitest";
import { crc32 } from "../../../vm/fabric/crc32.ts";
import {
  buildFrame,
  FrameError,
  fcsMatches,
  frameBytesMax,
  frameBytesMin,
  parseFrame,
  payloadBytesMax,
  writeFcs,
} from "../../../vm/fabric/ethernet-frame.ts";
import {
  broadcastMac,
  formatMac,
  macForNode,
  nodeForMac,
  readMac,
} from "../../../vm/fabric/mac-address.ts";

const etherType = 0x88b5;

function fieldOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(FrameError);
    return (error as FrameError).field;
  }
  throw new Error("expected a FrameError");
}

describe("MAC addresses", () => {
  it("gives node n the locally administered unicast 02:00:00:00:hi:lo", () => {
    expect(formatMac(macForNode(0))).toBe("02:00:00:00:00:00");
    expect(formatMac(macForNode(0x1234))).toBe("02:00:00:00:12:34");
    expect(formatMac(broadcastMac)).toBe("ff:ff:ff:ff:ff:ff");
    expect(nodeForMac(macForNode(4095))).toBe(4095);
    expect(nodeForMac(broadcastMac)).toBe(-1);
    expect(nodeForMac(0x0000_0000_0003)).toBe(-1);
    expect(() => macForNode(65536)).toThrow(RangeError);
    expect(() => macForNode(-1)).toThrow(RangeError);
  });
});

describe("buildFrame and parseFrame", () => {
  it("lays out a short frame with padding to 64 bytes", () => {
    const frame = buildFrame(macForNode(2), macForNode(1), etherType, Uint8Array.of(7, 8, 9));
    expect(frame.length).toBe(frameBytesMin);
    expect(readMac(frame, 0)).toBe(macForNode(2));
    expect(readMac(frame, 6)).toBe(macForNode(1));
    expect([frame[12], frame[13]]).toEqual([0x88, 0xb5]);
    expect([...frame.subarray(14, 18)]).toEqual([7, 8, 9, 0]);
    const fcs = crc32(frame, 0, 60);
    expect([...frame.subarray(60)]).toEqual([
      fcs & 0xff,
      (fcs >>> 8) & 0xff,
      (fcs >>> 16) & 0xff,
      fcs >>> 24,
    ]);
    expect(crc32(frame)).toBe(0x2144df1c);
  });

  it("round-trips a full-size frame", () => {
    const payload = Uint8Array.from({ length: payloadBytesMax }, (_, i) => i * 7);
    const frame = buildFrame(broadcastMac, macForNode(9), 0x0800, payload);
    expect(frame.length).toBe(frameBytesMax);
    const parsed = parseFrame(frame);
    expect(parsed.destinationMac).toBe(broadcastMac);
    expect(parsed.sourceMac).toBe(macForNode(9));
    expect(parsed.etherType).toBe(0x0800);
    expect(parsed.payload).toEqual(payload);
  });

  it("refuses bad fields when building, naming them", () => {
    const mac = macForNode(1);
    expect(fieldOf(() => buildFrame(mac, mac, etherType, new Uint8Array(1501)))).toBe("payload");
    expect(fieldOf(() => buildFrame(mac, mac, 0x05ff, new Uint8Array(1)))).toBe("ethertype");
    expect(fieldOf(() => buildFrame(2 ** 48, mac, etherType, new Uint8Array(1)))).toBe(
      "destination",
    );
    expect(fieldOf(() => buildFrame(mac, -1, etherType, new Uint8Array(1)))).toBe("source");
  });

  it("names the bad field when parsing", () => {
    const good = buildFrame(macForNode(1), macForNode(0), etherType, new Uint8Array(100));
    expect(fieldOf(() => parseFrame(good.subarray(0, 63)))).toBe("length");
    expect(fieldOf(() => parseFrame(new Uint8Array(1519)))).toBe("length");
    const flipped = good.slice();
    flipped[20]! ^= 0x10;
    expect(fcsMatches(flipped)).toBe(false);
    expect(fieldOf(() => parseFrame(flipped))).toBe("fcs");
    const lengthType = good.slice();
    lengthType[12] = 0x00;
    lengthType[13] = 0x2e;
    writeFcs(lengthType);
    expect(fieldOf(() => parseFrame(lengthType))).toBe("ethertype");
    expect(fcsMatches(new Uint8Array(3))).toBe(false);
  });
});
