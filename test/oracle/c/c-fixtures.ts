// The C oracle programs: which sources, which optimisation levels, and where the committed
// binaries and qemu-i386's results (stdout, exit status) are kept.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const C_DIR = fileURLToPath(new URL(".", import.meta.url));
export const C_FIXTURE_DIR = join(C_DIR, "fixtures");
export const C_EXPECTED_PATH = join(C_FIXTURE_DIR, "expected.json");

export const cPrograms = [
  "sort",
  "hash",
  "int64",
  "structs",
  "recursion",
  "switch",
  "heap",
  "numbers",
] as const;
export const optimisationLevels = ["-O0", "-O2", "-Os"] as const;

/** The runtime every program links with (see runtime/runtime.h). */
export const runtimeSources = ["syscalls.c", "print.c", "heap.c", "memory.c"].map((file) =>
  join(C_DIR, "runtime", file),
);

export function programSource(program: string): string {
  return join(C_DIR, "programs", `${program}.c`);
}

/** Fixture name of one build, e.g. "sort-O2". */
export function buildName(program: string, optimisation: string): string {
  return `${program}${optimisation}`;
}

export function buildImagePath(name: string): string {
  return join(C_FIXTURE_DIR, `${name}.elf`);
}

export interface ExpectedRun {
  status: number;
  stdout: string;
}

/** Expected results by build name, recorded from qemu-i386. stdout is Latin-1 text. */
export function loadExpectedRuns(): Record<string, ExpectedRun> {
  return JSON.parse(readFileSync(C_EXPECTED_PATH, "utf8")) as Record<string, ExpectedRun>;
}
