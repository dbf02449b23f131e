// `sterna bench …`: measurements, one JSON object per line with --json. Each subcommand
// lives in tools/bench/ and loads only when run.

import { type Command, InvalidArgumentError } from "commander";
import { fabricSpellings } from "../../vm/fabric/create-medium.ts";
import { hoarderBytesMax, hoarderBytesMin } from "../bench/migration-sizes.ts";
import { byteSizeInRange, integerInRange, parseSeed } from "./option-parsers.ts";
import { outputPathProblem, writeOutputFile } from "./output-file.ts";

const cpuRunsMax = 100;
const usageErrorStatus = 2;
const checkFailedStatus = 1;
const parseMigrationSize = byteSizeInRange(hoarderBytesMin, hoarderBytesMax);

/** bench balance: bounds that keep one run within the host's reach and job.asm's 32-bit count. */
const balanceNodesMax = 64;
const balanceJobsMax = 2000;
const balanceClockMhzMax = 50;
/** The demand law's upper bound: above the least demand (1 s), at most the paper's range. */
const balanceDemandMaxSecondsMin = 2;
const balanceDemandMaxSecondsMax = 1000;
const balanceLoadMin = 0.05;
const balanceLoadMax = 0.95;

const balancePolicyNames = ["none", "remote", "migrate", "threshold"];

function policyNameList(text: string): string[] {
  const names = text.split(",").map((name) => name.trim());
  const unknown = names.find((name) => !balancePolicyNames.includes(name));
  if (unknown !== undefined) {
    throw new InvalidArgumentError(
      `expected policies from ${balancePolicyNames.join(", ")}, separated by commas`,
    );
  }
  return names;
}

function offeredLoad(text: string): number {
  const value = Number(text);
  if (!/^\d*\.?\d+$/.test(text.trim()) || !(value >= balanceLoadMin && value <= balanceLoadMax)) {
    throw new InvalidArgumentError(
      `expected a decimal from ${balanceLoadMin} to ${balanceLoadMax}, such as 0.7`,
    );
  }
  return value;
}

/**
 * A progress bar on stderr: redrawn in place on a terminal; elsewhere (a log, a pipe) a line
 * per tenth of each run, which a file can hold and a reader can still follow.
 */
function progressBar(): (label: string, fraction: number) => void {
  const width = 30;
  let lastLabel = "";
  let lastTenth = -1;
  return (label, fraction) => {
    if (process.stderr.isTTY) {
      const filled = Math.round(fraction * width);
      const bar = `[${"#".repeat(filled)}${".".repeat(width - filled)}]`;
      process.stderr.write(`\r${bar} ${Math.round(fraction * 100)}% ${label}\x1b[K`);
      if (fraction >= 1) process.stderr.write("\n");
    } else {
      const tenth = Math.floor(fraction * 10);
      if (label !== lastLabel) lastTenth = -1;
      if (tenth > lastTenth) {
        process.stderr.write(`bench balance: ${label}: ${tenth * 10}%\n`);
        lastTenth = tenth;
      }
    }
    lastLabel = label;
  };
}

function fabricSpelling(text: string): string {
  if (!fabricSpellings.includes(text)) {
    throw new InvalidArgumentError(`expected one of ${fabricSpellings.join(", ")}`);
  }
  return text;
}

function runCount(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > cpuRunsMax) {
    throw new InvalidArgumentError(`expected an integer from 1 to ${cpuRunsMax}`);
  }
  return value;
}

/** Refuses an --svg file that cannot be created: one line, exit 2; true when refused. */
function refusesSvgPath(path: string | undefined, say: (line: string) => void): boolean {
  const problem = path === undefined ? undefined : outputPathProblem(path);
  if (problem === undefined) return false;
  say(`--svg ${problem}`);
  process.exitCode = usageErrorStatus;
  return true;
}

/** Runs a bench whose failure is a check that failed: its message in one line, exit 1. */
async function runChecked(say: (line: string) => void, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    say((error as Error).message);
    process.exitCode = checkFailedStatus;
  }
}

function writeSvgFile(path: string, text: string): string | undefined {
  return writeOutputFile(path, new TextEncoder().encode(text));
}

export function registerBench(program: Command): void {
  const bench = program
    .command("bench")
    .description("measure sterna on this host (figures with units; --json: one object per line)");
  bench
    .command("cluster")
    .description(
      "16 busy nodes with 1 and 2 worker threads, the largest cluster that pings its last node within a minute, frames per second through each fabric, the cost of a quantum barrier",
    )
    .option("--json", "one JSON object per line, with a `bench` key")
    .action(async (options: { json?: boolean }) => {
      const { runClusterBench } = await import("../bench/cluster.ts");
      await runClusterBench({ json: options.json === true });
    });
  bench
    .command("migration")
    .description(
      "move a process with SIZE resident between two nodes: freeze and total time, bytes and rounds per memory strategy; messages forwarded and resent, residual dependencies and a partner's added delay per delivery method",
    )
    .option(
      "--size <bytes>",
      "resident memory of the moved process (e.g. 256KiB, 10MiB)",
      parseMigrationSize,
      10 * 1024 * 1024,
    )
    .option(
      "--fabric <medium>",
      `the fabric: ${fabricSpellings.join(", ")}`,
      fabricSpelling,
      "ethernet",
    )
    .option("--json", "one JSON object per line on stdout (progress goes to stderr)")
    .option("--svg <file>", "draw freeze and total time per strategy over sizes up to --size")
    .action(async (options: { size: number; fabric: string; json?: boolean; svg?: string }) => {
      const say = (line: string) => process.stderr.write(`sterna: bench migration: ${line}\n`);
      if (refusesSvgPath(options.svg, say)) return;
      const { runMigrationBench } = await import("../bench/migration.ts");
      // A migration that did not commit, or a plot that could not be written: a failed check.
      await runChecked(say, () =>
        runMigrationBench({
          sizeBytes: options.size,
          fabric: options.fabric,
          json: options.json === true,
          svgPath: options.svg,
          progress: (line) => process.stderr.write(`${line}\n`),
          writeSvg: writeSvgFile,
        }),
      );
    });
  bench
    .command("balance")
    .description(
      "one seeded heavy-tailed job stream under each load-balancing policy (none, remote, migrate, threshold): mean and p95 slowdown, migrations, bytes moved (docs/load-balancing.md)",
    )
    .option(
      "--nodes <n>",
      `nodes in the cluster, 2 to ${balanceNodesMax}`,
      integerInRange(2, balanceNodesMax),
      8,
    )
    .option("--seed <s>", "the job stream's and the cluster's seed", parseSeed, 5)
    .option(
      "--load <l>",
      `offered load: arrival rate x mean demand / nodes, ${balanceLoadMin} to ${balanceLoadMax}`,
      offeredLoad,
      0.7,
    )
    .option(
      "--jobs <n>",
      `jobs in the stream, 1 to ${balanceJobsMax}`,
      integerInRange(1, balanceJobsMax),
      300,
    )
    .option(
      "--demand-max <s>",
      `the greatest CPU demand in seconds (the least is 1 s), ${balanceDemandMaxSecondsMin} to ${balanceDemandMaxSecondsMax}`,
      integerInRange(balanceDemandMaxSecondsMin, balanceDemandMaxSecondsMax),
      100,
    )
    .option(
      "--clock <mhz>",
      `each node's clock in MHz, 1 to ${balanceClockMhzMax}`,
      integerInRange(1, balanceClockMhzMax),
      10,
    )
    .option(
      "--policies <list>",
      `the policies to measure, a comma-separated list of ${balancePolicyNames.join(", ")} (all by default)`,
      policyNameList,
    )
    .option("--json", "one JSON object per policy per line on stdout (progress goes to stderr)")
    .option("--svg <file>", "draw mean slowdown against offered load (0.5 to 0.9) per policy")
    .action(
      async (options: {
        nodes: number;
        seed: number;
        load: number;
        jobs: number;
        demandMax: number;
        policies?: string[];
        clock: number;
        json?: boolean;
        svg?: string;
      }) => {
        const say = (line: string) => process.stderr.write(`sterna: bench balance: ${line}\n`);
        if (refusesSvgPath(options.svg, say)) return;
        const { runBalanceBench } = await import("../bench/balance.ts");
        // A job stream that did not complete, or a plot that could not be written.
        await runChecked(say, () =>
          runBalanceBench({
            nodeCount: options.nodes,
            seed: options.seed,
            load: options.load,
            jobCount: options.jobs,
            demandMaxSeconds: options.demandMax,
            policyNames: options.policies,
            clockMhz: options.clock,
            json: options.json === true,
            svgPath: options.svg,
            note: say,
            progress: progressBar(),
            print: (line) => process.stdout.write(`${line}\n`),
            writeSvg: writeSvgFile,
          }),
        );
      },
    );
  bench
    .command("cpu")
    .description(
      "guest MIPS of the C bench and CoreMark, and their speed as a fraction of qemu-i386's, start-up measured apart",
    )
    .option("--json", "one JSON object per line (each workload, then start-up), with a `bench` key")
    .option("--runs <n>", "runs per measurement; the best is kept", runCount, 3)
    .action(async (options: { json?: boolean; runs: number }) => {
      const { cpuReportJsonLines, formatCpuReport, measureCpu } = await import(
        "../bench/cpu-measure.ts"
      );
      const report = measureCpu(options.runs);
      const lines = options.json ? cpuReportJsonLines(report) : formatCpuReport(report);
      process.stdout.write(`${lines.join("\n")}\n`);
      if (report.workloads.some((w) => w.outputsAgree === false)) process.exitCode = 1;
    });
}
