// `sterna trace FILE --chrome OUT.json`: exports a --trace file for Perfetto's viewer
// (tools/trace/chrome-trace.ts). Reads line by line (each line bounded, bounded-lines.ts) and
// writes as it goes through OutputFile; a malformed or overlong line is one error naming its
// number and field, exit 2; an output that cannot be written (a full disk) is one line, exit 1.

import { type Stats, statSync } from "node:fs";
import type { Command } from "commander";

const usageErrorStatus = 2;
const outputFailureStatus = 1;
/** A trace is a few hundred bytes an event; 4 GiB is far past any run's. */
const traceBytesMax = 4 * 1024 * 1024 * 1024;
/** A trace line is a few hundred bytes; a longer one is not sterna's. */
const traceLineBytesMax = 1024 * 1024;

async function runTraceCommand(file: string, options: { chrome?: string }): Promise<void> {
  const [{ ChromeTraceBuilder, TraceLineError }, inputFile, { OutputFile }, boundedLines] =
    await Promise.all([
      import("../trace/chrome-trace.ts"),
      import("./input-file.ts"),
      import("./output-file.ts"),
      import("./bounded-lines.ts"),
    ]);
  const say = (line: string) => process.stderr.write(`sterna: trace: ${line}\n`);
  const fail = (line: string) => {
    say(line);
    process.exitCode = usageErrorStatus;
  };
  if (options.chrome === undefined) return fail("say what to make of it: --chrome OUT.json");
  if (file === "") return fail(inputFile.emptyInputPathMessage);
  try {
    const stat = statSync(file);
    if (!stat.isFile()) return fail(`${file}: not a regular file`);
    if (stat.size > traceBytesMax) return fail(`${file}: larger than 4 GiB`);
    // Opening the output truncates it, and the input is read as the output is written.
    if (isSameFile(stat, options.chrome)) {
      return fail(`--chrome ${options.chrome}: is the trace being read`);
    }
  } catch (error) {
    return fail(`${file}: ${inputFile.describeFileError(error)}`);
  }
  const opened = OutputFile.open(options.chrome, "--chrome");
  if (!opened.ok) return fail(opened.message);
  const out = opened.file;
  const builder = new ChromeTraceBuilder();
  let lineNumber = 0;
  let written = 0;
  let malformed = false;
  try {
    out.writeLine('{"displayTimeUnit":"ns","traceEvents":[');
    for await (const line of boundedLines.readBoundedLines(file, traceLineBytesMax)) {
      lineNumber++;
      if (line.trim() === "") continue;
      for (const event of builder.convert(line, lineNumber)) {
        out.writeLine(`${written > 0 ? "," : ""}${JSON.stringify(event)}`);
        written++;
      }
      if (out.failure !== undefined) break;
    }
    out.writeLine("]}");
  } catch (error) {
    if (!(error instanceof TraceLineError || error instanceof boundedLines.LineTooLongError)) {
      throw error;
    }
    malformed = true;
    fail(`${file}: ${error.message}`);
  } finally {
    const failure = out.close();
    if (failure !== undefined && !malformed) {
      say(`--chrome ${failure}`);
      process.exitCode = outputFailureStatus;
    } else if (failure === undefined && !malformed) {
      say(`${lineNumber} lines -> ${written} events in ${options.chrome}`);
    }
  }
}

function isSameFile(input: Stats, outputPath: string): boolean {
  try {
    const output = statSync(outputPath);
    return output.dev === input.dev && output.ino === input.ino;
  } catch {
    return false;
  }
}

export function registerTrace(program: Command): void {
  program
    .command("trace")
    .description("convert a trace written by `sterna boot --trace` for other tools")
    .argument("<file>", "the trace: JSON lines {t, node, event, ...}")
    .option(
      "--chrome <out.json>",
      "write Chrome's trace-event format, which Perfetto's viewer opens",
    )
    .addHelpText(
      "after",
      "\nExit status: 0 done; 1 the output could not be written (a full disk); 2 a usage error or\na malformed trace (the line and field are named).",
    )
    .action(runTraceCommand);
}
