// `sterna trace FILE --chrome OUT.json`: exports a --trace file for Perfetto's viewer
// (tools/trace/chrome-trace.ts). Reads line by line and writes as it goes; a malformed line
// is one error naming its number and field, exit 2.

import { closeSync, createReadStream, openSync, statSync, writeSync } from "node:fs";
import { createInterface } from "node:readline";
import type { Command } from "commander";

const usageErrorStatus = 2;
/** A trace is a few hundred bytes an event; 4 GiB is far past any run's. */
const traceBytesMax = 4 * 1024 * 1024 * 1024;

async function runTraceCommand(file: string, options: { chrome?: string }): Promise<void> {
  const { ChromeTraceBuilder, TraceLineError } = await import("../trace/chrome-trace.ts");
  const { describeFileError } = await import("./input-file.ts");
  const fail = (line: string) => {
    process.stderr.write(`sterna: trace: ${line}\n`);
    process.exitCode = usageErrorStatus;
  };
  if (!options.chrome) return fail("say what to make of it: --chrome OUT.json");
  try {
    const stat = statSync(file);
    if (!stat.isFile()) return fail(`${file}: not a regular file`);
    if (stat.size > traceBytesMax) return fail(`${file}: larger than 4 GiB`);
  } catch (error) {
    return fail(`${file}: ${describeFileError(error)}`);
  }
  let out: number;
  try {
    out = openSync(options.chrome, "w");
  } catch (error) {
    return fail(`--chrome ${options.chrome}: ${describeFileError(error)}`);
  }
  const builder = new ChromeTraceBuilder();
  let lineNumber = 0;
  let written = 0;
  try {
    writeSync(out, '{"displayTimeUnit":"ns","traceEvents":[\n');
    const lines = createInterface({
      input: createReadStream(file),
      crlfDelay: Number.POSITIVE_INFINITY,
    });
    for await (const line of lines) {
      lineNumber++;
      if (line.trim() === "") continue;
      for (const event of builder.convert(line, lineNumber)) {
        writeSync(out, `${written > 0 ? ",\n" : ""}${JSON.stringify(event)}`);
        written++;
      }
    }
    writeSync(out, "\n]}\n");
    process.stderr.write(
      `sterna: trace: ${lineNumber} lines -> ${written} events in ${options.chrome}\n`,
    );
  } catch (error) {
    if (error instanceof TraceLineError) return fail(`${file}: ${error.message}`);
    throw error;
  } finally {
    closeSync(out);
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
    .action(runTraceCommand);
}
