// `sterna boot`: boots the cluster (DESIGN.md §6) with the programs named by --run and the
// files named by --file as its file store (on node 0), and runs it in virtual time. A .asm
// program is assembled on load (userland/include on the include path). Guest fd 1 goes to
// stdout ordered by the virtual time of each write call, then pid; guest fd 2, kernel reports,
// the live status line of the demo and the summary go to stderr. Exit status: 0 when every
// --run process exited 0, 1 otherwise, 124 when --until ended the run, 2 for a usage or load
// error (one line naming the option or file).

import { availableParallelism } from "node:os";
import { basename, join } from "node:path";
import { type Command, InvalidArgumentError, Option } from "commander";
import type { NodeFault } from "../../kernel/boot/node-faults.ts";
import {
  type DeliveryMethod,
  deliveryMethodDefault,
  deliveryMethods,
  isDeliveryMethod,
} from "../../kernel/migrate/delivery-method.ts";
import {
  isMemoryStrategy,
  type MemoryStrategy,
  memoryStrategies,
  memoryStrategyDefault,
} from "../../kernel/migrate/memory-strategy.ts";
import { collectRepeated } from "./input-file.ts";
import { type EndedMigration, formatMs, MigrationSummary } from "./migration-summary.ts";
import {
  integerInRange,
  parseDurationNs,
  parseSeed,
  parseTimeSliceCycles,
} from "./option-parsers.ts";
import { OutputFile } from "./output-file.ts";
import { readProgramFile, repositoryRoot } from "./program-file.ts";

interface BootCommandOptions {
  nodes: number;
  fabric: string;
  clock: number;
  memory: number;
  workers?: number;
  run: string[];
  file: string[];
  until?: number;
  seed: number;
  trace?: string;
  timeSlice?: number;
  loss: number;
  dup: number;
  corrupt: number;
  partition: string[];
  migrate: string[];
  starter?: string;
  strategy: MemoryStrategy;
  delivery: DeliveryMethod;
  crash: string[];
  restart: string[];
}

const usageErrorStatus = 2;
/** sterna's own output (the trace, the summary) failed: the run's result cannot be trusted. */
const outputFailureStatus = 1;
/** The PID format's 12-bit node field with its top bit clear (kernel/limits.ts). */
const nodesMax = 2048;
const programsDirectory = join(repositoryRoot, "userland", "programs");
/** The bundled Starters, by the names --starter takes; "threshold" is the default. */
const bundledStarters: Record<string, string> = {
  threshold: join(repositoryRoot, "userland", "starters", "threshold.asm"),
  age: join(repositoryRoot, "userland", "starters", "age.asm"),
};
const defaultStarter = "threshold";
/** The demo's --run programs; named by base name so no host path reaches a guest or trace. */
const demoRuns = ["cluster-demo.asm"];
const demoFiles = ["cluster-demo-worker.asm"];
/**
 * Summary lines for processes, at most: every process of the largest cluster with its Starter
 * and a few more each, while a spawning loop still cannot flood stderr.
 */
const summaryProcessLinesMax = 4096;
const memoryMibMax = 2048;

class UsageError extends Error {}

/** A decimal number with an optional exponent: 0.001, .001, 1e-3, 1E-3, 1., +0.5. */
const decimalNumberPattern = /^\+?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function probability(text: string): number {
  const value = Number(text);
  // The pattern leaves out NaN, Infinity, hexadecimal and signs other than +; the range test
  // leaves out the rest (a negative exponent can still give 0, which is a probability).
  if (!decimalNumberPattern.test(text.trim()) || !(value >= 0 && value <= 1)) {
    throw new InvalidArgumentError("expected a probability from 0 to 1, such as 0.01 or 1e-3");
  }
  return value;
}

function numberInRange(low: number, high: number): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (!/^\d+(\.\d+)?$/.test(text.trim()) || !(value >= low && value <= high)) {
      throw new InvalidArgumentError(`expected a number from ${low} to ${high}`);
    }
    return value;
  };
}

/**
 * Each node's clock, MHz. At least 1: the kernel's periodic work (the statistics a Starter
 * receives every period, the timer) costs a fixed number of cycles, and below about 0.03 MHz
 * it filled every period, so the Starter kept the CPU and a program never ran.
 */
const clockMhzMin = 1;
const clockMhzMax = 10_000;

/** A clock in MHz with at most three decimals: a whole number of kHz, which the machine needs. */
function parseClockMhz(text: string): number {
  const value = numberInRange(clockMhzMin, clockMhzMax)(text);
  if (!/^\d+(\.\d{1,3})?$/.test(text.trim())) {
    throw new InvalidArgumentError(
      `expected a number from ${clockMhzMin} to ${clockMhzMax} with at most 3 decimals (whole kHz)`,
    );
  }
  return value;
}

interface ParsedRun {
  path: string;
  node: number;
  argumentText: string;
}

/** "PROG[@NODE|@*] [ARGS…]": the words after the program are its argument string. */
/**
 * Splits a --run spec into its first word (the program, with @NODE) and the rest: the word
 * ends at the first blank not escaped by `\` or inside "..." or '...', so a path with a space
 * can be named (`My\ Projects/relay.asm@1`).
 */
function splitProgramWord(spec: string): { word: string; rest: string } {
  let word = "";
  let quote = "";
  let index = 0;
  for (; index < spec.length; index++) {
    const char = spec[index]!;
    if (quote !== "") {
      if (char === quote) quote = "";
      else word += char;
    } else if (char === "\\") {
      index++;
      if (index === spec.length) throw new UsageError(`--run ${spec}: nothing after the last \\`);
      word += spec[index];
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === " " || char === "\t") {
      break;
    } else {
      word += char;
    }
  }
  if (quote !== "") throw new UsageError(`--run ${spec}: no closing ${quote}`);
  return { word, rest: spec.slice(index).trim() };
}

function parseRun(spec: string, nodeCount: number): ParsedRun {
  const { word: program, rest: argumentText } = splitProgramWord(spec.trim());
  if (program === "") throw new UsageError("--run: no program named");
  const at = program.lastIndexOf("@");
  if (at < 0) return { path: program, node: 0, argumentText };
  const node = program.slice(at + 1);
  const path = program.slice(0, at);
  if (path === "") throw new UsageError(`--run ${program}: no program named`);
  if (node === "*") return { path, node: -1, argumentText };
  if (!/^\d+$/.test(node) || Number(node) >= nodeCount) {
    throw new UsageError(
      `--run ${program}: node ${node} does not exist (nodes 0..${nodeCount - 1}, or * for any)`,
    );
  }
  return { path, node: Number(node), argumentText };
}

/**
 * The demo's status line for a migration that committed, e.g. "[0.412 s] moved 0.5 from n1
 * to n3: frozen 1.20 ms, 28 KiB"; undefined for any other end.
 */
function migrationStatusLine(ended: EndedMigration): string | undefined {
  const figures = ended.figures;
  if (ended.outcome !== "committed" || !figures) return undefined;
  const kib = Math.round(figures.bytes / 1024);
  return `[${(ended.atNs / 1e9).toFixed(3)} s] moved ${ended.pid} from n${figures.fromNode} to n${figures.toNode}: frozen ${(figures.freezeNs / 1e6).toFixed(2)} ms, ${kib} KiB`;
}

function formatMilli(milli: number): string {
  return (milli / 1000).toFixed(3);
}

/** "TIME:NODES:DURATION", NODES as "0,2,5" or "0-3": those nodes cut off from the rest. */
function parsePartition(
  spec: string,
  nodeCount: number,
): { fromNs: number; durationNs: number; nodes: number[] } {
  const parts = spec.split(":");
  if (parts.length !== 3) {
    throw new UsageError(`--partition ${spec}: expected TIME:NODES:DURATION, e.g. 100ms:0-1:50ms`);
  }
  const nodes = new Set<number>();
  for (const range of parts[1]!.split(",")) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(range.trim());
    const first = Number(match?.[1]);
    const last = Number(match?.[2] ?? match?.[1]);
    if (!match || last < first || last >= nodeCount) {
      throw new UsageError(
        `--partition ${spec}: nodes "${parts[1]}" must be numbers or ranges within 0..${nodeCount - 1}`,
      );
    }
    for (let node = first; node <= last; node++) nodes.add(node);
  }
  if (nodes.size === nodeCount) {
    throw new UsageError(
      `--partition ${spec}: cuts off every node (0..${nodeCount - 1}): nothing is left on the other side`,
    );
  }
  try {
    return {
      fromNs: parseDurationNs(parts[0]!),
      durationNs: parseDurationNs(parts[2]!),
      nodes: [...nodes],
    };
  } catch (error) {
    throw new UsageError(`--partition ${spec}: ${(error as Error).message}`);
  }
}

/** A --crash or --restart as given, for the schedule check's message. */
interface NodeFaultSpec {
  option: "--crash" | "--restart";
  spec: string;
  node: number;
  atNs: number;
}

/** "TIME:NODE": when, and which node. */
function parseNodeFault(
  option: NodeFaultSpec["option"],
  spec: string,
  nodeCount: number,
): NodeFaultSpec {
  const parts = spec.split(":");
  if (parts.length !== 2) {
    throw new UsageError(`${option} ${spec}: expected TIME:NODE, e.g. 50ms:2`);
  }
  const node = parts[1]!.trim();
  if (!/^\d+$/.test(node) || Number(node) >= nodeCount) {
    throw new UsageError(
      `${option} ${spec}: node ${node} does not exist (nodes 0..${nodeCount - 1})`,
    );
  }
  try {
    return { option, spec, node: Number(node), atNs: parseDurationNs(parts[0]!) };
  } catch (error) {
    throw new UsageError(`${option} ${spec}: ${(error as Error).message}`);
  }
}

/**
 * Every --crash and --restart, as one sorted schedule per node; a schedule that makes no sense
 * (a restart of a node that is up, two crashes in a row) names the option that breaks it.
 */
function nodeFaultSchedules(
  crashes: readonly string[],
  restarts: readonly string[],
  nodeCount: number,
  faultKinds: typeof import("../../kernel/boot/node-faults.ts"),
): NodeFault[][] {
  const specs = [
    ...crashes.map((spec) => parseNodeFault("--crash", spec, nodeCount)),
    ...restarts.map((spec) => parseNodeFault("--restart", spec, nodeCount)),
  ];
  const schedules: NodeFault[][] = [];
  const specOf = new Map<object, NodeFaultSpec>();
  for (const given of specs) {
    const fault = {
      atNs: given.atNs,
      kind:
        given.option === "--crash"
          ? faultKinds.NodeFaultKind.Crash
          : faultKinds.NodeFaultKind.Restart,
    };
    specOf.set(fault, given);
    const schedule = schedules[given.node] ?? [];
    schedule.push(fault);
    schedules[given.node] = schedule;
  }
  for (const schedule of schedules) {
    if (!schedule) continue;
    schedule.sort((a, b) => a.atNs - b.atNs || a.kind - b.kind);
    const problem = faultKinds.nodeFaultScheduleProblem(schedule);
    if (problem) {
      const given = specOf.get(problem.fault)!;
      throw new UsageError(`${given.option} ${given.spec}: ${problem.why}`);
    }
  }
  return Array.from({ length: nodeCount }, (_, node) => schedules[node] ?? []);
}

/**
 * "TIME:TARGET:NODE": at TIME, move TARGET (a pid as the summary prints it, or a program's
 * base name, with or without its extension: its lowest live pid) to NODE. A TARGET that names nothing alive is the run's
 * business (reported, counted as cancelled); a NODE outside the cluster is a usage error.
 */
function parseMigrate(
  spec: string,
  nodeCount: number,
): { atNs: number; target: string; toNode: number } {
  const parts = spec.split(":");
  if (parts.length !== 3 || parts[1]!.trim() === "") {
    throw new UsageError(`--migrate ${spec}: expected TIME:TARGET:NODE, e.g. 2ms:0.3:1`);
  }
  const node = parts[2]!.trim();
  if (!/^\d+$/.test(node) || Number(node) >= nodeCount) {
    throw new UsageError(
      `--migrate ${spec}: node ${node} does not exist (nodes 0..${nodeCount - 1})`,
    );
  }
  try {
    return { atNs: parseDurationNs(parts[0]!), target: parts[1]!.trim(), toNode: Number(node) };
  } catch (error) {
    throw new UsageError(`--migrate ${spec}: ${(error as Error).message}`);
  }
}

function parseDelivery(text: string): DeliveryMethod {
  if (!isDeliveryMethod(text)) {
    throw new InvalidArgumentError(`expected one of ${deliveryMethods.join(", ")}`);
  }
  return text;
}

function parseStrategy(text: string): MemoryStrategy {
  if (!isMemoryStrategy(text)) {
    throw new InvalidArgumentError(`expected one of ${memoryStrategies.join(", ")}`);
  }
  return text;
}

async function runBootCommand(options: BootCommandOptions): Promise<void> {
  const [
    assemble,
    { bootCluster },
    { createMedium },
    { formatPid },
    { describeFault },
    { LoadError },
    hostIo,
    faultKinds,
    { workerThreadsFor },
    { prestartWorkerThreads },
  ] = await Promise.all([
    import("../asm/assemble.ts"),
    import("../cluster/boot-cluster.ts"),
    import("../../vm/fabric/create-medium.ts"),
    import("../../kernel/process/pid.ts"),
    import("../../kernel/faults/fault-report.ts"),
    import("../../kernel/loader/load-error.ts"),
    import("./host-io.ts"),
    import("../../kernel/boot/node-faults.ts"),
    import("../../vm/cluster/node-groups.ts"),
    import("../../vm/cluster/worker-node-group.ts"),
  ]);
  const stdout = new hostIo.HostOutput(1);
  const stderr = new hostIo.HostOutput(2);
  const encoder = new TextEncoder();
  const say = (line: string) => stderr.write(encoder.encode(`${line}\n`));
  let traceFile: OutputFile | undefined;
  try {
    const demo = options.run.length === 0;
    const nodeCount = options.nodes;
    const workers = options.workers ?? Math.min(availableParallelism(), nodeCount);
    // The worker threads start loading now, while this thread reads and assembles the programs.
    prestartWorkerThreads(workerThreadsFor(nodeCount, workers));
    const runs = (demo ? demoRuns : options.run).map((spec) => parseRun(spec, nodeCount));
    if (demo) runs[0]!.node = 0;
    const migrations = options.migrate.map((spec) => parseMigrate(spec, nodeCount));
    const nodeFaults = nodeFaultSchedules(options.crash, options.restart, nodeCount, faultKinds);
    const partitions = options.partition.map((spec) => parsePartition(spec, nodeCount));
    const demoPath = (path: string) => join(programsDirectory, path);
    const paths = [
      ...new Set([
        ...runs.map((run) => (demo ? demoPath(run.path) : run.path)),
        ...(demo ? demoFiles.map(demoPath) : []),
        ...options.file,
      ]),
    ];
    // Files go by base name (what spawn finds and argv[0] shows), so no host path reaches a
    // guest or the trace, whatever folder sterna starts from.
    const files = paths.map((path) => {
      const program = readProgramFile(path, assemble);
      if (!program.ok) throw new UsageError(program.message);
      return { path: program.name, image: program.image };
    });
    for (const run of runs) run.path = basename(run.path);
    // --migrate runs a script undisturbed by a policy unless a Starter is named.
    const starterChoice = options.starter ?? (options.migrate.length > 0 ? "none" : defaultStarter);
    let starter: { path: string; image: Uint8Array } | undefined;
    if (starterChoice !== "none") {
      const program = readProgramFile(bundledStarters[starterChoice] ?? starterChoice, assemble);
      if (!program.ok) throw new UsageError(`--starter ${program.message}`);
      starter = { path: program.name, image: program.image };
    }
    let medium: import("../../vm/fabric/medium.ts").Medium;
    try {
      medium = createMedium(options.fabric, {
        nodeCount,
        seed: options.seed,
        faults: {
          lossRate: options.loss,
          duplicateRate: options.dup,
          corruptRate: options.corrupt,
          partitions,
        },
      });
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      throw new UsageError(`--fabric ${options.fabric}: ${error.message}`);
    }
    if (options.trace !== undefined) {
      const opened = OutputFile.open(options.trace, "--trace");
      if (!opened.ok) throw new UsageError(opened.message);
      traceFile = opened.file;
    }
    const trace = traceFile;
    const migrationSummary = new MigrationSummary();
    const result = await bootCluster({
      nodeCount,
      workers,
      seed: options.seed,
      medium,
      files,
      runs,
      untilNs: options.until ?? Number.POSITIVE_INFINITY,
      clockHz: Math.round(options.clock * 1e6),
      memoryBytes: options.memory * 1024 * 1024,
      timeSliceCycles: options.timeSlice,
      migrations,
      starter,
      nodeFaults,
      watchPeers: options.crash.length > 0 || partitions.length > 0,
      strategy: options.strategy,
      delivery: options.delivery,
      listener: {
        console: (record) => (record.channel === 0 ? stdout : stderr).write(record.bytes),
        trace: (line) => {
          trace?.writeLine(line);
          const ended = migrationSummary.onTraceLine(line);
          const moved = demo && ended ? migrationStatusLine(ended) : undefined;
          if (moved !== undefined) say(moved);
        },
        report: (line, node) => say(`sterna: node ${node}: ${line}`),
        second: demo
          ? (atNs, progress) =>
              say(
                `[${(atNs / 1e9).toFixed(0)} s] ${progress
                  .map(
                    (figures, node) =>
                      `n${node} ${((figures.loadPermille ?? 0) / 10).toFixed(0)}% p${figures.processes ?? 0} m${figures.messages ?? 0} f${figures.frames ?? 0}`,
                  )
                  .join(" | ")}`,
              )
          : undefined,
      },
    });
    if (result.outcome === "time-limit") {
      const alive = result.processes.filter((p) => p.status === undefined).length;
      say(
        `sterna: time limit of ${formatMs(options.until ?? 0)} reached; ${alive} process(es) still running, stopped (exit status 124)`,
      );
    } else if (result.outcome === "deadlock") {
      const blocked = result.processes.filter((p) => p.status === undefined).length;
      say(
        `sterna: ${blocked} process(es) blocked forever: nothing left in the cluster can wake them`,
      );
    }
    say(
      `cluster: ${nodeCount} node(s) on ${medium.name}, ${result.processes.length} process(es), virtual time ${formatMs(result.virtualNs)}`,
    );
    say("  pid      node status  cpu time     name");
    for (const summary of result.processes.slice(0, summaryProcessLinesMax)) {
      const status =
        summary.status === undefined ? "alive" : String(summary.status).padStart(3, " ");
      const note = summary.fault
        ? `  (${describeFault(summary.fault)})`
        : summary.lostInCrash
          ? `  (lost: node ${summary.node} crashed)`
          : summary.killed
            ? "  (killed)"
            : "";
      say(
        `  ${formatPid(summary.pid).padEnd(8)} ${String(summary.node).padStart(4)} ${status.padEnd(6)} ${formatMs(summary.cpuNs).padStart(12)}  ${summary.name}${note}`,
      );
    }
    if (result.processes.length > summaryProcessLinesMax) {
      say(`  ... and ${result.processes.length - summaryProcessLinesMax} more`);
    }
    for (const node of result.nodes) {
      const load = node.load;
      say(
        `node ${node.node} load: ${(load.loadPermille / 10).toFixed(1)}% busy over ${load.samples} samples; run queue ${load.runQueueLength} (avg ${formatMilli(load.runQueueLengthAvgMilli)}); processes ${load.processCount} (avg ${formatMilli(load.processCountAvgMilli)}); frames ${node.transport.framesSent} sent, ${node.transport.retransmissions} resent`,
      );
    }
    const counters = medium.counters;
    // The fault decorator acts after the medium has counted a delivery: its own figures say
    // how many of those deliveries the seeded faults took away or doubled.
    const faults = medium.faults;
    const faultFigures = faults
      ? `; faults: ${faults.framesLost} lost, ${faults.framesCorrupted} corrupted, ${faults.framesDuplicated} duplicated, ${faults.partitionDrops} cut by partitions`
      : "";
    say(
      `network: ${counters.framesSubmitted} frames, ${counters.framesDelivered} delivered, ${counters.framesDropped} dropped, ${counters.collisions} collisions${faultFigures}`,
    );
    const moves = result.migrations;
    if (moves.committed + moves.failed > 0) {
      const messages = result.delivery;
      say(
        `migration messages: ${messages.forwarded} forwarded, ${messages.dropped} dropped, ${messages.resent} resent; forwarding links: ${messages.linksLeft} left, ${messages.linksEnded} ended`,
      );
    }
    for (const line of migrationSummary.lines()) say(line);
    say(
      `migrations: ${moves.committed} committed, ${moves.cancelled} cancelled, ${moves.failed} failed`,
    );
    say(`trace-hash: ${result.traceHash}`);
    process.exitCode = result.exitStatus;
    const traceFailure = traceFile?.close();
    traceFile = undefined;
    if (traceFailure !== undefined) {
      say(`sterna: boot: --trace ${traceFailure}`);
      process.exitCode = outputFailureStatus;
    }
    // The summary could not be written (a full disk; a reader that went away is not a failure).
    if (stderr.failureCode !== undefined && stderr.failureCode !== "EPIPE") {
      process.exitCode = outputFailureStatus;
    }
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
      "boot the cluster and run programs on it in virtual time; with no --run, the demo (4 nodes on the token ring)",
    )
    .addOption(
      new Option("--nodes <n>", `nodes in the cluster (1..${nodesMax})`)
        .argParser(integerInRange(1, nodesMax))
        .default(4),
    )
    .option(
      "--fabric <medium>",
      "token-ring[:4|16|80] | ethernet | switched[:100|1000]",
      "token-ring:80",
    )
    .option(
      "--clock <mhz>",
      `each node's clock in MHz (${clockMhzMin} to ${clockMhzMax})`,
      parseClockMhz,
      100,
    )
    .option(
      "--memory <mib>",
      `each node's memory in MiB (1..${memoryMibMax})`,
      integerInRange(1, memoryMibMax),
      64,
    )
    .option("--workers <w>", "worker threads (default: min(cores, nodes))", integerInRange(1, 256))
    .option(
      "--run <'prog[@node|@*] [args]'>",
      "start PROG (an ELF, or a .asm source assembled on load) on NODE, or on any node with @*; the words after it are its arguments; a blank in PROG is written \\  or inside quotes; repeatable",
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
    .option("--seed <s>", "the cluster seed: every random choice derives from it", parseSeed, 0)
    .option("--trace <file>", "write the trace: one JSON line per event {t, node, event, ...}")
    .option(
      "--time-slice <cycles>",
      "the scheduler's time slice in machine cycles (1000 to 10^9)",
      parseTimeSliceCycles,
    )
    .option("--loss <p>", "probability that the fabric loses a frame", probability, 0)
    .option("--dup <p>", "probability that the fabric duplicates a frame", probability, 0)
    .option("--corrupt <p>", "probability that the fabric corrupts a frame", probability, 0)
    .option(
      "--partition <time:nodes:duration>",
      "cut NODES (e.g. 0-1 or 0,3) off from the others for DURATION from TIME; repeatable",
      collectRepeated,
      [],
    )
    .option(
      "--migrate <time:target:node>",
      "at TIME move TARGET (a pid such as 0.3, or a program name such as relay or relay.asm: its lowest live pid) to NODE; implies --starter none unless --starter is given; repeatable",
      collectRepeated,
      [],
    )
    .option(
      "--starter <threshold|age|prog|none>",
      "run a Starter on every node as pid NODE.1: threshold (the default), age (both in userland/starters), PROG (an ELF or .asm), or none (each kernel's built-in acceptor; the default with --migrate)",
    )
    .option(
      "--strategy <direct|precopy|cor>",
      "how a migrating process's memory moves, for --migrate and Starter moves alike: direct (freeze, copy every page), precopy (copy while it runs, then the dirty pages, then freeze for the rest), cor (copy-on-reference: freeze, send the page table, fetch each page from the source on first use)",
      parseStrategy,
      memoryStrategyDefault,
    )
    .option(
      "--delivery <prevent|redirect|recover>",
      "how messages reach a moving process: prevent (peers told at the freeze, the source buffers and forwards), redirect (a forwarding link left on every node it leaves, collapsed lazily), recover (the source drops what reaches it during the transfer; the senders' kernels resend once the new address is announced)",
      parseDelivery,
      deliveryMethodDefault,
    )
    .option(
      "--crash <time:node>",
      "at TIME crash NODE: its processes end (137), its memory is lost, it falls silent; repeatable",
      collectRepeated,
      [],
    )
    .option(
      "--restart <time:node>",
      "at TIME boot a crashed NODE again, empty, with new pids (the next epoch); repeatable",
      collectRepeated,
      [],
    )
    .addHelpText(
      "after",
      "\nGuest fd 1 goes to stdout in virtual-time order; guest fd 2, kernel reports and the summary\ngo to stderr. Exit status: 0 when every --run process exited 0; 1 otherwise (also when\nprocesses are blocked forever); 124 when --until ended the run (as timeout(1)); 2 for a\nusage or load error.",
    )
    .action(runBootCommand);
}
