// The bundled Starters (userland/starters, docs/starters.md) on an uneven load: three CPU-bound
// spinners started on node 0 of two. The threshold Starter and the age-based one both move
// spinners to the idle node through an offer, an answer, migrate_out and migrate_in, and each
// guest prints exactly what it prints when nothing moves (the interleaving of their lines
// follows the timing, which moving changes), and exits the same.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bootClusterCase, type ClusterBootCase } from "../../support/cluster-boot.ts";

const startersDirectory = join(import.meta.dirname, "..", "..", "..", "userland", "starters");
const spinnerSource = `ROUNDS equ ${1 << 20}\n${readFileSync(join(import.meta.dirname, "fixtures", "spinner.asm"), "utf8")}`;

function unevenCase(starter: string | undefined): ClusterBootCase {
  const sources: Record<string, string> = { "spinner.asm": spinnerSource };
  if (starter) sources[starter] = readFileSync(join(startersDirectory, starter), "utf8");
  return {
    nodes: 2,
    sources,
    runs: Array.from({ length: 3 }, () => ({ path: "spinner.asm", node: 0, argumentText: "" })),
    starter,
  };
}

function nodesOfSpinners(run: Awaited<ReturnType<typeof bootClusterCase>>): number[] {
  return run.result.processes.filter((p) => p.name === "spinner.asm").map((p) => p.node);
}

describe("the bundled Starters on an uneven load", () => {
  it.each(["threshold.asm", "age.asm"])(
    "%s moves spinners off the overloaded node; output and statuses unchanged",
    async (starter) => {
      const still = await bootClusterCase(unevenCase(undefined));
      const run = await bootClusterCase(unevenCase(starter));
      expect(nodesOfSpinners(still)).toEqual([0, 0, 0]);
      const moves = run.result.migrations;
      expect(moves.committed).toBeGreaterThan(0);
      expect([moves.cancelled, moves.failed]).toEqual([0, 0]);
      const lines = (stdout: string) => stdout.split("\n").sort();
      expect(lines(run.stdout)).toEqual(lines(still.stdout));
      expect(run.result.exitStatus).toBe(0);
      expect(run.result.processes.map((p) => p.status ?? "alive")).toEqual([
        "alive",
        0,
        0,
        0,
        "alive",
      ]);
      expect(nodesOfSpinners(run)).toContain(1);
      expect(run.result.virtualNs).toBeLessThan(still.result.virtualNs);
    },
    60_000,
  );
});
