// The fixed frame around every stream program: the data regions, a private stack (so ESP does
// not depend on how the loader lays out argv), the dump routines and the exit. The dump routine
// writes the 8 GPRs and EFLAGS as PUSHAD/PUSHFD leave them on the stack; `dump_window` also
// writes the window. Both save and restore everything they touch, EFLAGS included.

import { WINDOW_SIZE_BYTES } from "./memory-regions.ts";
import { hex } from "./registers.ts";

/** Bytes one dump writes: EDI ESI EBP ESP EBX EDX ECX EAX (PUSHAD order), then EFLAGS. */
export const DUMP_REGS_BYTES = 36;

function dataLines(label: string, bytes: Uint8Array): string[] {
  const lines = [`${label}:`];
  for (let i = 0; i < bytes.length; i += 16) {
    lines.push(`  db ${Array.from(bytes.subarray(i, i + 16), (byte) => hex(byte)).join(", ")}`);
  }
  return lines;
}

const dumpRoutines = [
  "dump:",
  "  pushfd",
  "  pushad",
  "  mov eax, 4",
  "  mov ebx, 1",
  "  mov ecx, esp",
  `  mov edx, ${DUMP_REGS_BYTES}`,
  "  int 0x80",
  "  popad",
  "  popfd",
  "  ret",
  "dump_window:",
  "  call dump",
  "  pushfd",
  "  pushad",
  "  mov eax, 4",
  "  mov ebx, 1",
  "  mov ecx, window",
  `  mov edx, ${WINDOW_SIZE_BYTES}`,
  "  int 0x80",
  "  popad",
  "  popfd",
  "  ret",
];

export interface ProgramParts {
  rodata: Uint8Array;
  window: Uint8Array;
  /** Lines run first, from `_start` (they must load ESP with stack_top). */
  prologue: string[];
  body: string[];
}

/** The complete NASM source: sections, `_start`, prologue, body, exit(0), dump routines. */
export function programSource(title: string, parts: ProgramParts): string {
  return [
    `; ${title}`,
    "bits 32",
    "section .rodata",
    "align 16",
    ...dataLines("rodata", parts.rodata),
    "section .data",
    "align 16",
    ...dataLines("window", parts.window),
    "section .bss",
    "alignb 16",
    "stack: resb 4096",
    "stack_top:",
    "section .text",
    "global _start",
    "_start:",
    ...parts.prologue,
    ...parts.body,
    "  mov eax, 1",
    "  xor ebx, ebx",
    "  int 0x80",
    ...dumpRoutines,
    "",
  ].join("\n");
}
