// Helpers shared by the assembler tests: where the fixtures are and how to assemble a file
// the way `sterna asm` does (includes from the fixture include folder and userland/include).

import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type AssembleResult, assemble } from "../../../tools/asm/assemble.ts";
import type { OptimizationLevel } from "../../../tools/asm/instruction.ts";

const here = dirname(fileURLToPath(import.meta.url));
export const fixturesDir = join(here, "fixtures");
export const userlandIncludeDir = join(here, "../../../userland/include");

export function readTextFile(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

/** Fixtures also recorded with `nasm -O0` (fixtures/NAME.O0.nasm.bin). */
export const fixturesAtO0: readonly string[] = ["far-conditional-jumps", "jumps"];

/** Assembles `path` with the fixture and userland include folders on the search path. */
export function assembleFile(
  path: string,
  format: "bin" | "elf",
  optimization: OptimizationLevel = "x",
): AssembleResult {
  return assemble(readFileSync(path, "utf8"), {
    fileName: path,
    format,
    optimization,
    includePaths: [join(fixturesDir, "include"), userlandIncludeDir],
    readFile: readTextFile,
  });
}

/** Assembles source text held in memory; `files` maps include names to their text. */
export function assembleText(
  source: string,
  options: { fileName?: string; format?: "bin" | "elf"; files?: Record<string, string> } = {},
): AssembleResult {
  const files = options.files ?? {};
  return assemble(source, {
    fileName: options.fileName ?? "test.asm",
    format: options.format ?? "bin",
    includePaths: ["inc"],
    readFile: (path) => files[path],
  });
}

/** Diagnostics as printed lines' first line: `file:line:col: severity: message`. */
export function diagnosticLines(result: AssembleResult): string[] {
  return result.diagnostics.map(
    (d) => `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`,
  );
}
