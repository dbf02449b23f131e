// Reading a command's input files: the one-line reason a file could not be read or written
// (`no such file or directory`, `is a directory`, `permission denied`) for `sterna asm` and
// `sterna disasm` (exec and boot word a missing file as `no such file`), the assembler's
// %include reader, and commander's collector for repeatable options.

import { readFileSync } from "node:fs";

export type InputFile = { ok: true; bytes: Buffer } | { ok: false; message: string };

export function describeFileError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file or directory";
  if (code === "EISDIR") return "is a directory";
  if (code === "EACCES") return "permission denied";
  return (error as Error).message;
}

/** The file's bytes, or `PATH: reason` for the command's one-line error. */
export function readInputFile(path: string): InputFile {
  try {
    return { ok: true, bytes: readFileSync(path) };
  } catch (error) {
    return { ok: false, message: `${path}: ${describeFileError(error)}` };
  }
}

/** The assembler's `readFile` hook: the file's text, or undefined when it cannot be read. */
export function readTextFile(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

/** commander's argument parser for an option given several times (`-I a -I b`). */
export function collectRepeated(value: string, previous: string[]): string[] {
  return [...previous, value];
}
