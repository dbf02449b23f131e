// `sterna bench …`: measurements, one JSON object per line with --json. Each subcommand
// lives in tools/bench/ and loads only when run.

import { type Command, InvalidArgumentError } from "commander";
import { fabricSpellings } from "../../vm/fabric/create-medium.ts";
import { hoarderBytesMax, hoarderBytesMin } from "../bench/migration-sizes.ts";
import { byteSizeInRange } from "./option-parsers.ts";
import { outputPathProblem, writeOutputFile } from "./output-file.ts";

const cpuRunsMax = 100;
const usageErrorStatus = 2;
const checkFailedStatus = 1;
const parseMigrationSize = byteSizeInRange(hoarderBytesMin, hoarderBytesMax);

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
      if (options.svg !== undefined) {
        const problem = outputPathProblem(options.svg);
        if (problem !== undefined) {
          say(`--svg ${problem}`);
          process.exitCode = usageErrorStatus;
          return;
        }
      }
      const { runMigrationBench } = await import("../bench/migration.ts");
      try {
        await runMigrationBench({
          sizeBytes: options.size,
          fabric: options.fabric,
          json: options.json === true,
          svgPath: options.svg,
          progress: (line) => process.stderr.write(`${line}\n`),
          writeSvg: (path, text) => writeOutputFile(path, new TextEncoder().encode(text)),
        });
      } catch (error) {
        // A migration that did not commit, or a plot that could not be written: a failed check.
        say((error as Error).message);
        process.exitCode = checkFailedStatus;
      }
    });
  bench
    .command("cpu")
    .description(
      "guest MIPS of the C bench and CoreMark, and their speed as a fraction of qemu-i386's, start-up measured apart",
    )
    .option("--json", "one JSON object, with a `bench` key")
    .option("--runs <n>", "runs per measurement; the best is kept", runCount, 3)
    .action(async (options: { json?: boolean; runs: number }) => {
      const { formatCpuReport, measureCpu } = await import("../bench/cpu-measure.ts");
      const report = measureCpu(options.runs);
      if (options.json) process.stdout.write(`${JSON.stringify({ bench: "cpu", ...report })}\n`);
      else process.stdout.write(`${formatCpuReport(report).join("\n")}\n`);
      if (report.workloads.some((w) => w.outputsAgree === false)) process.exitCode = 1;
    });
}
