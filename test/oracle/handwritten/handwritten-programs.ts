// Hand-written NASM programs that target what random streams cannot reach: self-modifying code
// (the CPU's decoded-instruction cache), accesses straddling page boundaries (the MMU), and
// the legacy integer instructions (BCD adjustments, xlat, loop forms, lahf/sahf, bound), and
// the segment register moves, pushes and pops a flat process may make. Each
// prints a checksum and exits with a status; qemu-i386's output and status are the expected ones.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ExpectedRun } from "../c/c-fixtures.ts";

export const HANDWRITTEN_DIR = fileURLToPath(new URL(".", import.meta.url));
export const HANDWRITTEN_FIXTURE_DIR = join(HANDWRITTEN_DIR, "fixtures");
export const HANDWRITTEN_EXPECTED_PATH = join(HANDWRITTEN_FIXTURE_DIR, "expected.json");

export const handwrittenPrograms = [
  "self-modifying",
  "page-crossing",
  "legacy-integer",
  "segment-registers",
] as const;

export function handwrittenSourcePath(program: string): string {
  return join(HANDWRITTEN_DIR, "programs", `${program}.asm`);
}

export function handwrittenImagePath(program: string): string {
  return join(HANDWRITTEN_FIXTURE_DIR, `${program}.elf`);
}

export function loadHandwrittenExpected(): Record<string, ExpectedRun> {
  return JSON.parse(readFileSync(HANDWRITTEN_EXPECTED_PATH, "utf8")) as Record<string, ExpectedRun>;
}
