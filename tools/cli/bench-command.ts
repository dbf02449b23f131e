// `sterna bench …`: measurements, one JSON object per line with --json. Each subcommand
// lives in tools/bench/ and loads only when run.

import { type Command, InvalidArgumentError } from "commander";

const cpuRunsMax = 100;

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
