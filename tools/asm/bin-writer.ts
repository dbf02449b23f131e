// NASM's flat binary output (-f bin): the progbits sections' bytes at their addresses
// relative to `org`, gaps between sections filled with zeros, nobits sections not written.

import type { AssembledProgram } from "./passes/assembler.ts";

export function writeFlatBinary(program: AssembledProgram): Uint8Array {
  const stored = program.sections.filter((section) => !section.nobits && section.sizeBytes > 0);
  const endAddress = Math.max(
    program.origin,
    ...stored.map((section) => section.baseAddress + section.sizeBytes),
  );
  const image = new Uint8Array(endAddress - program.origin);
  for (const section of stored) image.set(section.bytes, section.baseAddress - program.origin);
  return image;
}
