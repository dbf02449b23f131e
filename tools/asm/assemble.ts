// The assembler's library entry point, used by `sterna asm` and the tests: NASM-syntax source
// in, a flat binary (`bin`) or a static ELF32 i386 executable (`elf`) out, with every error and
// warning of the file as `FILE:LINE:COL` diagnostics. It never throws on bad input and does no
// I/O itself: included files come through `readFile`.

import { encodeInstruction } from "./encode/index.ts";
import { type AssembleOptions, type AssembleResult, assembleWithEncoder } from "./pipeline.ts";

export type { Diagnostic } from "./diagnostics.ts";
export { formatDiagnostic } from "./diagnostics.ts";
export type { OptimizationLevel } from "./instruction.ts";
export type { ListingLine } from "./passes/pass.ts";
export type { AssembleOptions, AssembleResult } from "./pipeline.ts";

export function assemble(source: string, options: AssembleOptions): AssembleResult {
  return assembleWithEncoder(source, options, encodeInstruction);
}
