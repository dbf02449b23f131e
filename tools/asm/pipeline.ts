// The whole assembler with the instruction encoder passed in: preprocess, parse, run the
// passes, write the output format. assemble.ts binds it to the real encoder; tests of the
// front end may bind it to a small encoder of their own.

import { writeFlatBinary } from "./bin-writer.ts";
import { type Diagnostic, DiagnosticSink } from "./diagnostics.ts";
import { writeElfExecutable } from "./elf-writer.ts";
import type { OptimizationLevel } from "./instruction.ts";
import { parseProgram } from "./parser/parse-program.ts";
import { type AssembledProgram, assembleStatements } from "./passes/assembler.ts";
import type { Encoder, ListingLine } from "./passes/pass.ts";
import { preprocess } from "./preprocessor/preprocessor.ts";

export interface AssembleOptions {
  /** Name used in diagnostics and for `__FILE__`. */
  readonly fileName: string;
  /** `bin`: flat binary as nasm -f bin; `elf`: a static ELF32 i386 executable. */
  readonly format: "bin" | "elf";
  /** Directories searched by %include after the name as written. */
  readonly includePaths?: readonly string[];
  /** Reads an included file; undefined when it does not exist. */
  readonly readFile?: (path: string) => string | undefined;
  /** Also return address/bytes per source line. */
  readonly listing?: boolean;
  /** Environment variables `%ifenv` sees; none by default. */
  readonly environment?: Readonly<Record<string, string>>;
  /** The clock of __?DATE?__ and __?TIME?__ (default: now); tests pin it. */
  readonly now?: Date;
  /** NASM's -O0, -O1 or -Ox (the default). */
  readonly optimization?: OptimizationLevel;
}

export interface AssembleResult {
  readonly ok: boolean;
  readonly output?: Uint8Array;
  /** Errors and warnings in source order. */
  readonly diagnostics: Diagnostic[];
  readonly listing?: readonly ListingLine[];
}

const entrySymbol = "_start";

export function assembleWithEncoder(
  source: string,
  options: AssembleOptions,
  encode: Encoder,
): AssembleResult {
  const sink = new DiagnosticSink();
  const preprocessed = preprocess(
    source,
    options.fileName,
    {
      readFile: options.readFile,
      includePaths: options.includePaths ?? [],
      outputFormat: options.format,
      now: options.now ?? new Date(),
      environment: options.environment,
    },
    sink,
  );
  // A preprocessor stopped by a limit leaves a truncated program: nothing more to report.
  if (preprocessed.stopped) return { ok: false, diagnostics: sink.sorted() };
  const parsed = parseProgram(preprocessed.lines, sink);
  const program = assembleStatements(
    parsed,
    {
      format: options.format,
      encode,
      listing: options.listing === true,
      optimization: options.optimization ?? "x",
    },
    sink,
  );
  if (!program || sink.errorCount > 0) return { ok: false, diagnostics: sink.sorted() };
  let output: Uint8Array;
  if (options.format === "bin") {
    output = writeFlatBinary(program);
  } else {
    const entryAddress = findEntry(program, options.fileName, sink);
    output = writeElfExecutable({
      program,
      entryAddress,
      globals: new Set(parsed.globals.keys()),
    });
  }
  return {
    ok: true,
    output,
    diagnostics: sink.sorted(),
    ...(options.listing ? { listing: program.listing } : {}),
  };
}

/** `_start` if defined, else the start of .text (with a warning, as ld gives). */
function findEntry(program: AssembledProgram, fileName: string, sink: DiagnosticSink): number {
  const start = program.symbols.find((symbol) => symbol.name === entrySymbol);
  if (start) return start.value;
  const text = program.sections[0]!;
  sink.warning(
    { file: fileName, line: 1, includedFrom: [] },
    1,
    `no \`${entrySymbol}' label: the program starts at the beginning of .text (0x${text.baseAddress.toString(16).padStart(8, "0")})`,
  );
  return text.baseAddress;
}
