// Turns a fault case's symbolic address into a number with nm (host tool: record.ts and live.ts).

import { symbolAddress } from "../toolchain.ts";
import type { Address } from "./fault-cases.ts";

export function resolveAddress(address: Address, image: Uint8Array): number {
  if (typeof address === "number") return address;
  return symbolAddress(image, address.symbol) + (address.offsetBytes ?? 0);
}
