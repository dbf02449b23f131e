// A program named on the command line (`boot --run`, `--file`), read and checked before
// anything runs: bounded in size (input-file.ts), assembled when it is a .asm source (with its
// folder and userland/include on the include path), and parsed as an ELF executable, so a bad
// file is one line naming it (`sterna: boot: PATH: e_machine is 62 ...`) and status 2 before
// the cluster boots. Its `name` is the base name, what the guest sees as argv[0] and what the
// trace records, so no host path (and so no working folder) reaches a guest or the trace.

import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseElf } from "../../kernel/loader/elf.ts";
import { LoadError } from "../../kernel/loader/load-error.ts";
import {
  programFileBytesMax,
  readInputFile,
  readTextFile,
  sourceFileBytesMax,
} from "./input-file.ts";

/** The checkout's root: tools/cli and the CLI bundle (dist/cli) both sit two folders down. */
export const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const userlandIncludeDirectory = join(repositoryRoot, "userland", "include");

export type ProgramFile =
  | { ok: true; path: string; name: string; image: Uint8Array }
  | { ok: false; message: string };

type Assembler = typeof import("../asm/assemble.ts");

/** Reads, assembles if needed, and checks one program; never throws for a bad file. */
export function readProgramFile(path: string, assembler: Assembler): ProgramFile {
  const isSource = path.endsWith(".asm");
  const input = readInputFile(path, isSource ? sourceFileBytesMax : programFileBytesMax);
  if (!input.ok) return input;
  let image: Uint8Array = input.bytes;
  if (isSource) {
    const result = assembler.assemble(input.bytes.toString("utf8"), {
      fileName: path,
      format: "elf",
      includePaths: [dirname(path), userlandIncludeDirectory],
      readFile: readTextFile,
    });
    if (!result.ok || !result.output) {
      const firstError = result.diagnostics.find((d) => d.severity === "error");
      return {
        ok: false,
        message: firstError ? assembler.formatDiagnostic(firstError) : `${path}: cannot assemble`,
      };
    }
    image = result.output;
  }
  try {
    parseElf(image);
  } catch (error) {
    if (error instanceof LoadError) return { ok: false, message: `${path}: ${error.message}` };
    throw error;
  }
  return { ok: true, path, name: basename(path), image };
}
