// A complete NASM source from disassembled segments, which `nasm -f bin` assembles back into
// the same bytes: `bits 32` and `org` for one segment; for several, one bin-format section
// per segment (vstart = its address, each following the previous one), so the output is
// the segments' bytes in order.

import type { DisassemblyLine } from "./data-line.ts";
import type { CodeSegment } from "./segment-listing.ts";

export interface DisassembledSegment {
  readonly segment: CodeSegment;
  readonly lines: readonly DisassemblyLine[];
}

function hex(value: number): string {
  return `0x${value.toString(16)}`;
}

export function reassemblySource(segments: readonly DisassembledSegment[], origin: string): string {
  const out = [
    `; ${origin}, disassembled by sterna; nasm -f bin reassembles the same bytes`,
    "bits 32",
  ];
  if (segments.length === 1) out.push(`org ${hex(segments[0]!.segment.address)}`);
  segments.forEach(({ segment, lines }, i) => {
    if (segments.length > 1) {
      const follows = i === 0 ? "" : ` follows=${segments[i - 1]!.segment.name}`;
      out.push(`section ${segment.name}${follows} vstart=${hex(segment.address)} align=1`);
    }
    for (const line of lines) out.push(line.text);
  });
  return `${out.join("\n")}\n`;
}
