// `sterna asm SRC -o OUT [-f elf|bin] [-I DIR]... [-l LISTING]`: assembles NASM-syntax source
// with sterna's assembler. Errors and warnings go to stderr as `FILE:LINE:COL: error: ...`;
// with any error nothing is written and the status is 2, as for any bad input (DESIGN.md §6;
// nasm says 1). A file that cannot be read or written gives one line `sterna: asm: ...` and
// status 2 (an internal failure: status 70). %include
// looks in the current directory, then in each -I directory, as nasm does, and last in
// sterna's userland/include, so `%include "sterna.inc"` (the ABI) works as under `boot`.

import { chmodSync } from "node:fs";
import { type Command, Option } from "commander";
import {
  collectRepeated,
  describeFileError,
  readInputFile,
  readTextFile,
  sourceFileBytesMax,
} from "./input-file.ts";
import { outputPathProblem, writeOutputFile } from "./output-file.ts";
import { userlandIncludeDirectory } from "./program-file.ts";

interface AsmCommandOptions {
  output?: string;
  format: "elf" | "bin";
  include: string[];
  listing?: string;
  optimize: "0" | "1" | "x";
}

const badInputStatus = 2;
/** EX_SOFTWARE: the assembler itself failed. */
const internalErrorStatus = 70;

/** The source name without its extension, as nasm names its output by default. */
function defaultOutputPath(sourcePath: string): string {
  const slash = sourcePath.lastIndexOf("/");
  const dot = sourcePath.lastIndexOf(".");
  return dot > slash + 1 ? sourcePath.slice(0, dot) : `${sourcePath}.out`;
}

function hexBytes(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0").toUpperCase()).join("");
}

async function runAsmCommand(sourcePath: string, options: AsmCommandOptions): Promise<void> {
  const { assemble, formatDiagnostic } = await import("../asm/assemble.ts");
  const fail = (message: string) => {
    process.stderr.write(`sterna: asm: ${message}\n`);
    process.exitCode = badInputStatus;
  };
  const input = readInputFile(sourcePath, sourceFileBytesMax);
  if (!input.ok) {
    fail(input.message);
    return;
  }
  const outputPath = options.output ?? defaultOutputPath(sourcePath);
  const outputProblem = [
    outputPathProblem(outputPath),
    options.listing === undefined ? undefined : outputPathProblem(options.listing),
  ].find((problem) => problem !== undefined);
  if (outputProblem) {
    fail(outputProblem);
    return;
  }
  const source = input.bytes.toString("utf8");
  let result: ReturnType<typeof assemble>;
  try {
    result = assemble(source, {
      fileName: sourcePath,
      format: options.format,
      includePaths: [...options.include, userlandIncludeDirectory],
      readFile: readTextFile,
      listing: options.listing !== undefined,
      optimization: options.optimize === "x" ? "x" : options.optimize === "1" ? 1 : 0,
      environment: Object.fromEntries(
        Object.entries(process.env).filter(
          (entry): entry is [string, string] => entry[1] !== undefined,
        ),
      ),
    });
  } catch (error) {
    // Bad input is reported as diagnostics; only a bug in the assembler gets here.
    process.stderr.write(`sterna: asm: internal error: ${(error as Error).message}\n`);
    process.exitCode = internalErrorStatus;
    return;
  }
  for (const diagnostic of result.diagnostics) {
    process.stderr.write(`${formatDiagnostic(diagnostic)}\n`);
  }
  if (!result.ok || !result.output) {
    process.exitCode = badInputStatus;
    return;
  }
  const outputFailure = writeOutputFile(outputPath, result.output);
  if (outputFailure) {
    fail(outputFailure);
    return;
  }
  if (options.format === "elf") {
    try {
      chmodSync(outputPath, 0o755);
    } catch (error) {
      fail(`${outputPath}: ${describeFileError(error)}`);
      return;
    }
  }
  if (options.listing !== undefined) {
    const lines = (result.listing ?? []).map((line) => {
      const contents =
        line.reservedBytes > 0 ? `<res ${line.reservedBytes}>` : hexBytes(line.bytes);
      const address = line.address.toString(16).padStart(8, "0").toUpperCase();
      return `${line.file}:${line.line}\t${address}\t${contents}\t${line.source.trim()}`;
    });
    const text = lines.length > 0 ? `${lines.join("\n")}\n` : "";
    const listingFailure = writeOutputFile(options.listing, Buffer.from(text));
    if (listingFailure) fail(listingFailure);
  }
}

export function registerAsm(program: Command): void {
  program
    .command("asm")
    .description("assemble NASM-syntax source into a static i386 ELF executable or a flat binary")
    .argument("<src>", "the assembly source file")
    .option("-o, --output <file>", "output file (default: the source name without its extension)")
    .addOption(
      new Option(
        "-f, --format <format>",
        "elf: static ELF32 executable; bin: flat binary as nasm -f bin",
      )
        .choices(["elf", "bin"])
        .default("elf"),
    )
    .option(
      "-I, --include <dir>",
      "also search DIR for %include files (repeatable)",
      collectRepeated,
      [],
    )
    .option("-l, --listing <file>", "write a listing: file:line, address, bytes and source")
    .addOption(
      new Option(
        "-O, --optimize <level>",
        "as nasm: 0 (long forms unless short/byte is written), 1 (short immediates, long jumps), x (shortest, the default)",
      )
        .choices(["0", "1", "x"])
        .default("x"),
    )
    .addHelpText(
      "after",
      [
        "",
        "The ELF executable is laid out at 0x08048000 and starts at `_start` (or the start of",
        ".text); it runs under `sterna exec` and, for Linux system calls, under qemu-i386.",
        "Diagnostics read FILE:LINE:COL: error|warning: message; any error means no output",
        "and exit status 2. %include searches the current folder, each -I folder, then",
        "sterna's userland/include (sterna.inc, the system call ABI).",
        "",
        "Example:",
        "  sterna asm hello.asm -o hello && sterna exec hello",
      ].join("\n"),
    )
    .action(runAsmCommand);
}
