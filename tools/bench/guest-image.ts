// The benches' guests, assembled from NASM-syntax source with the userland include folder on
// the path, as `sterna boot --run prog.asm` does.

import { readFileSync } from "node:fs";
import { assemble } from "../asm/assemble.ts";
import { readTextFile } from "../cli/input-file.ts";
import { userlandIncludeDirectory } from "../cli/program-file.ts";

/** An ELF image from assembly text; `fileName` names it in errors and finds its includes. */
export function assembleImage(source: string, fileName: string): Uint8Array {
  const result = assemble(source, {
    fileName,
    format: "elf",
    includePaths: [userlandIncludeDirectory],
    readFile: readTextFile,
  });
  if (!result.ok || !result.output) {
    const first = result.diagnostics.find((diagnostic) => diagnostic.severity === "error");
    throw new Error(`${fileName} does not assemble${first ? `: ${first.message}` : ""}`);
  }
  return result.output;
}

export function assembleFile(path: string): Uint8Array {
  return assembleImage(readFileSync(path, "utf8"), path);
}
