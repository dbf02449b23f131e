// `sterna boot`: boots the cluster (for now one node) with the programs named by --run and the
// files named by --file as its file store, and runs it in virtual time. A .asm program is
// assembled on load (userland/include on the include path). Guest fd 1 goes to stdout in
// virtual-time order and nothing else does; guest fd 2, kernel reports and the summary go to
// stderr. Exit status: 0 when every --run process exited 0, 1 otherwise, 124 when --until
// ended the run, 2 for a usage or load error.

import { closeSync, openSync, readFileSync, writeSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { type Command, InvalidArgumentError, Option } from "commander";
import { collectRepeated, readTextFile } from "./input-file.ts";

interface BootCommandOptions {
  nodes: number;
  run: string[];
  file: string[];
  until?: number;
  seed: number;
  trace?: string;
  timeSlice?: number;
}

const usageErrorStatus = 2;
const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const includeDirectory = join(repositoryRoot, "userland", "include");
const demoPrograms = ["ping-pong.asm", "producer-consumer.asm"].map((name) =>
  relative(process.cwd(), join(repositoryRoot, "userland", "programs", name)),
);
/** Summary lines for processes, at most; a spawning loop could otherwise flood stderr. */
const summaryProcessLinesMax = 200;

class UsageError extends Error {}

const timeUnitsNs: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9 };

/** "500ms", "2s", "1000us", "250" (ns) -> ns. */
export function parseDurationNs(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s)?$/.exec(text.trim());
  if (!match) throw new InvalidArgumentError("expected a time such as 500ms, 2s, 1000us or 750ns");
  const ns = Number(match[1]) * timeUnitsNs[match[2] ?? "ns"]!;
  if (!Number.isSafeInteger(Math.round(ns))) throw new InvalidArgumentError("time too large");
  return Math.round(ns);
}

function nonNegativeInteger(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value)) {
    throw new InvalidArgumentError("expected a non-negative integer");
  }
  return value;
}

/** "PROG", "PROG@0" or "PROG@*" -> the path; another node is refused on one node. */
function runPath(spec: string, nodeCount: number): string {
  const at = spec.lastIndexOf("@");
  if (at < 0) return spec;
  const node = spec.slice(at + 1);
  if (node !== "*" && !(/^\d+$/.test(node) && Number(node) < nodeCount)) {
    throw new UsageError(`--run ${spec}: node ${node} does not exist (nodes 0..${nodeCount - 1})`);
  }
  return spec.slice(0, at);
}

function readProgram(path: string, assemble: typeof import("../asm/assemble.ts")): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `${path}: ${code === "ENOENT" ? "no such file" : (error as Error).message}`,
    );
  }
  if (!path.endsWith(".asm")) return bytes;
  const result = assemble.assemble(new TextDecoder().decode(bytes), {
    fileName: path,
    format: "elf",
    includePaths: [dirname(path), includeDirectory],
    readFile: readTextFile,
  });
  const errors = result.diagnostics.filter((diagnostic) => diagnostic.severity === "error");
  if (!result.ok || !result.output) {
    throw new UsageError(
      errors.map(assemble.formatDiagnostic).join("\n") || `${path}: cannot assemble`,
    );
  }
  return result.output;
}

/** Buffers trace lines into a file, a few kilobytes at a time. */
class TraceFile {
  private readonly fd: number;
  private pending: string[] = [];
  private pendingChars = 0;

  constructor(path: string) {
    this.fd = openSync(path, "w");
  }

  write(line: string): void {
    this.pending.push(line);
    this.pendingChars += line.length + 1;
    if (this.pendingChars > 64 * 1024) this.flush();
  }

  flush(): void {
    if (this.pending.length > 0) writeSync(this.fd, `${this.pending.join("\n")}\n`);
    this.pending = [];
    this.pendingChars = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

function formatMs(ns: number): string {
  return `${(ns / 1e6).toFixed(3)} ms`;
}

function formatMilli(milli: number): string {
  return (milli / 1000).toFixed(3);
}

async function runBootCommand(options: BootCommandOptions): Promise<void> {
  const [assemble, { bootNode }, { formatPid }, { describeFault }, { LoadError }, hostIo] =
    await Promise.all([
      import("../asm/assemble.ts"),
      import("../../kernel/boot/boot-node.ts"),
      import("../../kernel/process/pid.ts"),
      import("../../kernel/faults/fault-report.ts"),
      import("../../kernel/loader/load-error.ts"),
      import("./host-io.ts"),
    ]);
  const stdout = new hostIo.HostOutput(1);
  const stderr = new hostIo.HostOutput(2);
  const encoder = new TextEncoder();
  const say = (line: string) => stderr.write(encoder.encode(`${line}\n`));
  let traceFile: TraceFile | undefined;
  try {
    if (options.nodes !== 1) {
      throw new UsageError(
        `--nodes ${options.nodes}: not yet: the cluster arrives in a later issue (use --nodes 1)`,
      );
    }
    const runSpecs = options.run.length > 0 ? options.run : demoPrograms;
    const runs = runSpecs.map((spec) => runPath(spec, options.nodes));
    const paths = [...new Set([...runs, ...options.file])];
    const files = paths.map((path) => ({ path, image: readProgram(path, assemble) }));
    if (options.trace) traceFile = new TraceFile(options.trace);
    const trace = traceFile;
    const result = bootNode({
      files,
      runs,
      untilNs: options.until,
      seed: options.seed,
      timeSliceCycles: options.timeSlice,
      onOutput: (channel, bytes) => (channel === 0 ? stdout : stderr).write(bytes),
      onReport: (line) => say(`sterna: ${line}`),
      onTraceLine: trace ? (line) => trace.write(line) : undefined,
    });
    if (result.outcome === "time-limit") {
      const alive = result.processes.filter((p) => p.status === undefined).length;
      say(
        `sterna: time limit of ${formatMs(options.until ?? 0)} reached; ${alive} process(es) still running, stopped (exit status 124)`,
      );
    } else if (result.outcome === "deadlock") {
      const blocked = result.processes.filter((p) => p.status === undefined).length;
      say(`sterna: ${blocked} process(es) blocked forever: nothing can wake them on one node`);
    }
    say(
      `node 0: ${result.processes.length} process(es), virtual time ${formatMs(result.virtualNs)}`,
    );
    say("  pid      status  cpu time     name");
    for (const summary of result.processes.slice(0, summaryProcessLinesMax)) {
      const status =
        summary.status === undefined ? "alive" : String(summary.status).padStart(3, " ");
      const note = summary.fault
        ? `  (${describeFault(summary.fault)})`
        : summary.killed
          ? "  (killed)"
          : "";
      say(
        `  ${formatPid(summary.pid).padEnd(8)} ${status.padEnd(6)} ${formatMs(summary.cpuNs).padStart(12)}  ${summary.name}${note}`,
      );
    }
    if (result.processes.length > summaryProcessLinesMax) {
      say(`  ... and ${result.processes.length - summaryProcessLinesMax} more`);
    }
    const load = result.load;
    say(
      `node 0 load: ${(load.loadPermille / 10).toFixed(1)}% busy over ${load.samples} samples; run queue ${load.runQueueLength} (avg ${formatMilli(load.runQueueLengthAvgMilli)}); processes ${load.processCount} (avg ${formatMilli(load.processCountAvgMilli)})`,
    );
    say("migrations: 0 committed, 0 cancelled, 0 failed");
    say(`trace-hash: ${result.traceHash}`);
    process.exitCode = result.exitStatus;
  } catch (error) {
    if (!(error instanceof UsageError || error instanceof LoadError)) throw error;
    for (const line of error.message.split("\n")) say(`sterna: boot: ${line}`);
    process.exitCode = usageErrorStatus;
  } finally {
    traceFile?.close();
  }
}

export function registerBoot(program: Command): void {
  program
    .command("boot")
    .description(
      "boot the cluster and run programs on it in virtual time; with no --run, a demo (ping-pong and producer-consumer)",
    )
    .addOption(
      new Option("--nodes <n>", "nodes in the cluster (only 1 for now)")
        .argParser(nonNegativeInteger)
        .default(1),
    )
    .option(
      "--run <prog[@node]>",
      "start PROG (an ELF, or a .asm source assembled on load) on NODE (0 or *); repeatable",
      collectRepeated,
      [],
    )
    .option(
      "--file <path>",
      "add a file to the cluster's file store (spawn finds it by base name); repeatable",
      collectRepeated,
      [],
    )
    .option(
      "--until <time>",
      "stop at this virtual time (500ms, 2s, 1000us; ns without a unit); exit status 124 if it ends the run",
      parseDurationNs,
    )
    .option("--seed <s>", "the cluster seed (recorded in the trace)", nonNegativeInteger, 0)
    .option("--trace <file>", "write the trace: one JSON line per event {t, node, event, ...}")
    .option(
      "--time-slice <cycles>",
      "the scheduler's time slice in machine cycles",
      nonNegativeInteger,
    )
    .addHelpText(
      "after",
      "\nGuest fd 1 goes to stdout; guest fd 2, kernel reports and the summary go to stderr.\nExit status: 0 when every --run process exited 0; 1 otherwise (also when processes are\nblocked forever); 124 when --until ended the run (as timeout(1)); 2 for a usage or load error.",
    )
    .action(runBootCommand);
}
