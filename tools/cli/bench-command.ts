// `sterna bench …`: measurements, one JSON object per line with --json. Each subcommand
// lives in tools/bench/ and loads only when run.

import type { Command } from "commander";

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
}
