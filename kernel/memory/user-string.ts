// Reads a NUL-terminated string from a process's memory, as spawn takes its path and its
// argument string: page by page, so a short string at the end of a mapped page is fine, and
// never more than `bytesMax` + 1 bytes. Bytes are read as Latin-1 so any byte round-trips.

import type { Machine } from "../../vm/machine.ts";
import type { Process } from "../process/process.ts";
import { copyFromUser } from "./user-copy.ts";
import { pageMask, pageSizeBytes } from "./user-layout.ts";

/** The string; "fault" when a byte before its NUL is unreadable; "too-long" past bytesMax. */
export function copyStringFromUser(
  machine: Machine,
  process: Process,
  linear: number,
  bytesMax: number,
): string | "fault" | "too-long" {
  let text = "";
  let address = linear;
  while (text.length <= bytesMax) {
    const chunkBytes = Math.min(pageSizeBytes - (address & pageMask), bytesMax + 1 - text.length);
    const chunk = copyFromUser(machine, process, address, chunkBytes);
    if (!chunk) return "fault";
    const nul = chunk.indexOf(0);
    const end = nul < 0 ? chunk.length : nul;
    text += String.fromCharCode(...chunk.subarray(0, end));
    if (nul >= 0) return text.length > bytesMax ? "too-long" : text;
    address += chunkBytes;
  }
  return "too-long";
}
