// Runs sterna's assembler on one recorded file of NASM's test suite (fixtures/, see
// record.ts) and compares with nasm's bytes: identical, different, or refused with the
// first error. Shared by the test and by refusals.ts, which rewrites the list of refusals.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { assemble } from "../../../../tools/asm/assemble.ts";

export const fixturesDir = join(import.meta.dirname, "fixtures");

export interface SuiteManifest {
  readonly nasm: string;
  readonly upstream: { readonly repository: string; readonly commit: string };
  readonly assembledByNasm: number;
  readonly inScope: readonly string[];
  /** -O levels a file is also recorded at (NAME.O0.bin), besides the default -Ox. */
  readonly optimizationVariants: Readonly<Record<string, readonly ("0" | "1")[]>>;
  readonly outOfScope: Readonly<Record<string, string>>;
}

export type SuiteVerdict =
  | { readonly kind: "identical" }
  | { readonly kind: "different"; readonly firstDifferenceOffset: number }
  | { readonly kind: "refused"; readonly firstError: string; readonly located: boolean };

export function readManifest(): SuiteManifest {
  return JSON.parse(readFileSync(join(fixturesDir, "manifest.json"), "utf8")) as SuiteManifest;
}

function readFixture(path: string): string | undefined {
  try {
    return readFileSync(join(fixturesDir, path), "utf8");
  } catch {
    return undefined;
  }
}

export function runSuiteFile(name: string, level: "0" | "1" | "x" = "x"): SuiteVerdict {
  const result = assemble(readFixture(name)!, {
    fileName: name,
    format: "bin",
    readFile: readFixture,
    optimization: level === "x" ? "x" : level === "1" ? 1 : 0,
  });
  if (!result.ok) {
    const error = result.diagnostics.find((d) => d.severity === "error");
    return {
      kind: "refused",
      firstError: error ? `${error.file}:${error.line}: ${error.message}` : "(no error message)",
      located: error !== undefined && error.line >= 1 && error.file.length > 0,
    };
  }
  const suffix = level === "x" ? ".bin" : `.O${level}.bin`;
  const expected = readFileSync(join(fixturesDir, name.replace(/\.asm$/, suffix)));
  const actual = Buffer.from(result.output!);
  if (actual.equals(expected)) return { kind: "identical" };
  let offset = 0;
  while (offset < actual.length && actual[offset] === expected[offset]) offset++;
  return { kind: "different", firstDifferenceOffset: offset };
}
