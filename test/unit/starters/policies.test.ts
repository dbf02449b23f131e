// The bundled Starters (userland/starters, docs/starters.md) on an uneven load: three CPU-bound
// spinners started on node 0 of two. The threshold Starter and the age-based one both move
// spinners to the idle node through an offer, an answer, migrate_out and migrate_in, and each
// guest prints exactly what it prints when nothing moves (the interleaving of their lines
// follows the timing, which moving changes), and exits the same. The age Starter's period
// follows its node's state: beside one job it asks for statistics ten times less often than
// on an idle node.

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bootClusterCase, type ClusterBootCase } from "../../support/cluster-boot.ts";
import { sterna } from "../../support/run-cli.ts";

const startersDirectory = join(import.meta.dirname, "..", "..", "..", "userland", "starters");
const spinnerText = readFileSync(join(import.meta.dirname, "fixtures", "spinner.asm"), "utf8");
const spinnerSource = `ROUNDS equ ${1 << 20}\n${spinnerText}`;

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

  it("age.asm asks for statistics seldom beside one job, often on an idle node", async () => {
    // At 10 MHz, 2^21 rounds are about 4 s of virtual time.
    const folder = mkdtempSync(join(tmpdir(), "sterna-age-period-"));
    writeFileSync(join(folder, "spinner.asm"), `ROUNDS equ ${1 << 21}\n${spinnerText}`);
    const tracePath = join(folder, "trace.jsonl");
    const outcome = await sterna(
      ["boot", "--nodes", "2", "--clock", "10", "--workers", "1", "--starter", "age"].concat([
        "--run",
        "spinner.asm",
        "--trace",
        tracePath,
      ]),
      "",
      folder,
    );
    expect(outcome.status, outcome.stderr).toBe(0);
    expect(outcome.stderr).toContain("migrations: 0 committed");
    const trace = readFileSync(tracePath, "utf8").split("\n");
    expect(JSON.parse(trace.at(-2)!).t).toBeGreaterThan(3e9);
    // Each statistics message is one receive of the Starter (NODE.1) from its kernel.
    const statisticsAt = (node: number) =>
      trace.filter(
        (line) =>
          line.includes('"event":"receive"') &&
          line.includes(`"pid":"${node}.1"`) &&
          line.includes(`"from":"${node}.1048575"`),
      ).length;
    // A period of 1 s beside the spinner, 100 ms on the idle node.
    expect(statisticsAt(0)).toBeGreaterThan(0);
    expect(statisticsAt(0) * 4).toBeLessThan(statisticsAt(1));
  }, 60_000);
});
