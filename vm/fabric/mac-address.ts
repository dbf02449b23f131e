// MAC addresses as 48-bit numbers (exact in a double), so comparing and storing them
// allocates nothing. Node n's NIC has the locally administered unicast address
// 02:00:00:00:hi:lo (bit 1 of the first octet set = locally administered, bit 0 clear =
// unicast), which names nodes 0..65535; every other address belongs to no node.

export const broadcastMac = 0xffff_ffff_ffff;

const nodeMacBase = 0x0200_0000_0000;
export const macNodeMax = 0xffff;

/** The MAC address of node `node`'s NIC. */
export function macForNode(node: number): number {
  if (!Number.isInteger(node) || node < 0 || node > macNodeMax) {
    throw new RangeError(`node must be an integer in 0..${macNodeMax}, got ${node}`);
  }
  return nodeMacBase + node;
}

/** The node whose NIC has this address, or -1 (broadcast and foreign addresses included). */
export function nodeForMac(mac: number): number {
  const node = mac - nodeMacBase;
  return node >= 0 && node <= macNodeMax ? node : -1;
}

/** Reads the 6-byte address at bytes[offset..offset+5] (network order). */
export function readMac(bytes: Uint8Array, offset: number): number {
  let mac = 0;
  for (let i = 0; i < 6; i++) mac = mac * 256 + bytes[offset + i]!;
  return mac;
}

export function writeMac(bytes: Uint8Array, offset: number, mac: number): void {
  let rest = mac;
  for (let i = 5; i >= 0; i--) {
    bytes[offset + i] = rest % 256;
    rest = Math.floor(rest / 256);
  }
}

/** "02:00:00:00:00:03" */
export function formatMac(mac: number): string {
  const octets: string[] = [];
  let rest = mac;
  for (let i = 0; i < 6; i++) {
    octets.unshift((rest % 256).toString(16).padStart(2, "0"));
    rest = Math.floor(rest / 256);
  }
  return octets.join(":");
}
