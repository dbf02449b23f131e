// The fault programs and what the Intel manual says each must raise. qemu-i386 supplies the
// exit status and the output before the fault (recorded in fixtures/expected.json with the
// addresses nm reports); the vector, error code and faulting address below come from the
// manual (SDM vol. 3, 6.15 "Exception and Interrupt Reference"; #PF error code: P bit 0 = 1 for
// a protection violation, 0 for a non-present page; W/R bit 1 = write; U/S bit 2 = user mode;
// I/D bit 4 = instruction fetch, which sterna's DESIGN.md always reports).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const FAULT_DIR = fileURLToPath(new URL(".", import.meta.url));
export const FAULT_FIXTURE_DIR = join(FAULT_DIR, "fixtures");
export const FAULT_EXPECTED_PATH = join(FAULT_FIXTURE_DIR, "expected.json");

/** A faulting address given either as a number or as a symbol of the program (plus bytes). */
export type Address = number | { symbol: string; offsetBytes?: number };

export interface FaultCase {
  program: string;
  exceptionName: string;
  vector: number;
  errorCode: number;
  /** Where the fault is reported: the faulting instruction (precise exceptions). */
  eip: Address;
  /** For #PF: the linear address that faulted (CR2), when the program pins it down. */
  cr2?: Address;
}

const atFault = { symbol: "fault_here" };

export const faultCases: readonly FaultCase[] = [
  // #DE: "DIV/IDIV: the divisor is 0, or the quotient is too large for the destination."
  { program: "divide-by-zero", exceptionName: "#DE", vector: 0, errorCode: 0, eip: atFault },
  { program: "idiv-overflow", exceptionName: "#DE", vector: 0, errorCode: 0, eip: atFault },
  // #UD: "UD2 raises an invalid opcode exception."
  { program: "ud2", exceptionName: "#UD", vector: 6, errorCode: 0, eip: atFault },
  // #PF on a present read-only page, write, user: error code 0b111.
  {
    program: "write-text",
    exceptionName: "#PF",
    vector: 14,
    errorCode: 0x7,
    eip: atFault,
    cr2: { symbol: "_start" },
  },
  // #PF on non-present pages from user mode: read 0b100, write 0b110.
  {
    program: "read-unmapped",
    exceptionName: "#PF",
    vector: 14,
    errorCode: 0x4,
    eip: atFault,
    cr2: 0x10,
  },
  {
    program: "write-unmapped",
    exceptionName: "#PF",
    vector: 14,
    errorCode: 0x6,
    eip: atFault,
    cr2: 0x2000,
  },
  {
    program: "read-high-unmapped",
    exceptionName: "#PF",
    vector: 14,
    errorCode: 0x4,
    eip: atFault,
    cr2: 0xc0001000,
  },
  // The fetch at the jump target faults: EIP is the target, CR2 too; user + fetch = 0b10100.
  {
    program: "jump-unmapped",
    exceptionName: "#PF",
    vector: 14,
    errorCode: 0x14,
    eip: 0x1000,
    cr2: 0x1000,
  },
  // A REP STOSB stopped by the first unmapped byte past .bss; PUSH past the 8 MiB stack limit.
  {
    program: "string-write-unmapped",
    exceptionName: "#PF",
    vector: 14,
    errorCode: 0x6,
    eip: atFault,
    cr2: { symbol: "last_page", offsetBytes: 4096 },
  },
  { program: "stack-overflow", exceptionName: "#PF", vector: 14, errorCode: 0x6, eip: atFault },
  // A load straddling into an unmapped page faults as a whole (the manual does not pin CR2 to
  // the first byte or to the page boundary for a split access, so CR2 is not checked).
  { program: "straddle-unmapped", exceptionName: "#PF", vector: 14, errorCode: 0x4, eip: atFault },
  // #GP(0): HLT "if the current privilege level is not 0"; CLI and IN/OUT "if CPL is greater
  // than IOPL" (and, for IN/OUT, no I/O permission bitmap grants the port).
  { program: "hlt", exceptionName: "#GP", vector: 13, errorCode: 0, eip: atFault },
  { program: "cli", exceptionName: "#GP", vector: 13, errorCode: 0, eip: atFault },
  { program: "in", exceptionName: "#GP", vector: 13, errorCode: 0, eip: atFault },
  { program: "out", exceptionName: "#GP", vector: 13, errorCode: 0, eip: atFault },
  // LGDT: #GP(0) "if the current privilege level is not 0".
  { program: "lgdt", exceptionName: "#GP", vector: 13, errorCode: 0, eip: atFault },
  // AAM: #DE "if an immediate value of 0 is used".
  { program: "aam-zero", exceptionName: "#DE", vector: 0, errorCode: 0, eip: atFault },
  // BOUND: #BR "if the bounds test fails" (Linux delivers SIGSEGV).
  { program: "bound-out-of-range", exceptionName: "#BR", vector: 5, errorCode: 0, eip: atFault },
  // Segment registers hold the flat selectors (cs 0x23, ds/es/ss 0x2b): loading another gives
  // #GP(selector), as the CPU does for one outside the descriptor table; a null ss #GP(0)
  // ("if attempt is made to load SS register with NULL segment selector"); a move to cs or to
  // a segment register numbered 6 or 7 is #UD.
  {
    program: "mov-ds-bad-selector",
    exceptionName: "#GP",
    vector: 13,
    errorCode: 0x1234,
    eip: atFault,
  },
  { program: "mov-ss-null", exceptionName: "#GP", vector: 13, errorCode: 0, eip: atFault },
  {
    program: "pop-ds-bad-selector",
    exceptionName: "#GP",
    vector: 13,
    errorCode: 0x78,
    eip: atFault,
  },
  { program: "mov-cs", exceptionName: "#UD", vector: 6, errorCode: 0, eip: atFault },
  { program: "mov-reserved-segment", exceptionName: "#UD", vector: 6, errorCode: 0, eip: atFault },
  // MOV to and from control and debug registers: #GP(0) "if the current privilege level is
  // not 0" (qemu-i386 also gives #GP for cr1, which the manual lists under #UD; not tested).
  { program: "mov-from-cr0", exceptionName: "#GP", vector: 13, errorCode: 0, eip: atFault },
  { program: "mov-to-cr3", exceptionName: "#GP", vector: 13, errorCode: 0, eip: atFault },
  { program: "mov-from-dr7", exceptionName: "#GP", vector: 13, errorCode: 0, eip: atFault },
  { program: "mov-to-dr0", exceptionName: "#GP", vector: 13, errorCode: 0, eip: atFault },
  // TF: a single-step trap (#DB) after the first instruction that starts with TF set, so the
  // reported eip is the next one (SIGTRAP).
  {
    program: "single-step",
    exceptionName: "#DB",
    vector: 1,
    errorCode: 0,
    eip: { symbol: "after_step" },
  },
];

export function faultSourcePath(program: string): string {
  return join(FAULT_DIR, "programs", `${program}.asm`);
}

export function faultImagePath(program: string): string {
  return join(FAULT_FIXTURE_DIR, `${program}.elf`);
}

/** qemu-i386's status and output, and nm's addresses, per program. */
export interface RecordedFault {
  status: number;
  stdout: string;
  eip: number;
  cr2?: number;
}

export function loadRecordedFaults(): Record<string, RecordedFault> {
  return JSON.parse(readFileSync(FAULT_EXPECTED_PATH, "utf8")) as Record<string, RecordedFault>;
}
