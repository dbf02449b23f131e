// The disassembler: 32-bit machine code -> lines of NASM syntax, decoded by the CPU's own
// decoder (vm/cpu/decoder.ts). Every line assembles with NASM back to its own bytes.
// Library entry point; `sterna disasm` (tools/cli/disasm-command.ts) is its command line.

export type { DisassemblyLine } from "./data-line.ts";
export { type DisassembleOptions, disassemble } from "./disassemble.ts";
export {
  type ElfReadResult,
  type ExecutableSegment,
  isElf,
  readElfExecutableSegments,
} from "./elf-image.ts";
export { formatInstruction } from "./nasm-syntax.ts";
export { type DisassembledSegment, reassemblySource } from "./reassembly-source.ts";
export { type CodeSegment, disassembleSegment } from "./segment-listing.ts";
