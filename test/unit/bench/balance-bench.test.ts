// `sterna bench balance` through the CLI: a bad option is one line naming it and status 2;
// a tiny run (2 nodes, 3 short jobs) prints one JSON object per measured policy with the
// issue's keys, names the policies it could not measure, and shows its progress on stderr. (--svg runs five loads: too long
// for a unit test; the chart itself is tested with bench migration's.)

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  builtPolicies,
  type PolicyFigures,
  policies,
  slowdownChartSvg,
} from "../../../tools/bench/balance.ts";
import { sterna } from "../../support/run-cli.ts";

describe("bench balance", () => {
  it("plots mean slowdown against load, a line per policy with its loads in order", () => {
    const row = (policy: string, load: number, slowdown: number): PolicyFigures => ({
      policy,
      load,
      mean_slowdown: slowdown,
      p95_slowdown: slowdown,
      migrations: 0,
      bytes_moved: 0,
      starter_cpu_percent: 0,
      realised_load: load,
      realised_load_to_end: load,
    });
    const svg = slowdownChartSvg(
      [row("none", 0.9, 3), row("remote", 0.5, 1), row("none", 0.5, 1.5), row("remote", 0.9, 1.2)],
      { jobCount: 100, nodeCount: 8, seed: 5 },
    );
    expect(svg).toContain("Mean slowdown, 100 jobs on 8 nodes (seed 5)");
    const lines = [...svg.matchAll(/<polyline points="([^"]+)"/g)].map((match) =>
      match[1]!.split(" ").map((point) => Number(point.split(",")[0])),
    );
    expect(lines).toHaveLength(2);
    for (const xs of lines) expect(xs[0]).toBeLessThan(xs[1]!);
  });

  it("refuses a bad option with one line naming it and status 2", async () => {
    const cases = [
      ["--nodes", "1"],
      ["--nodes", "65"],
      ["--load", "1.5"],
      ["--load", "abc"],
      ["--jobs", "0"],
      ["--jobs", "2001"],
      ["--demand-max", "1"],
      ["--demand-max", "1001"],
      ["--policies", "remote,fast"],
      ["--clock", "0"],
      ["--clock", "51"],
      ["--seed", "-1"],
      ["--svg", join(mkdtempSync(join(tmpdir(), "sterna-bench-balance-")), "no", "plot.svg")],
    ];
    const outcomes = await Promise.all(cases.map((args) => sterna(["bench", "balance", ...args])));
    outcomes.forEach((outcome, index) => {
      const option = cases[index]![0]!;
      expect(outcome.status, option).toBe(2);
      expect(outcome.stderr.trim().split("\n"), outcome.stderr).toHaveLength(1);
      expect(outcome.stderr).toContain(option);
      expect(outcome.stderr).not.toContain("    at ");
    });
  });

  it("runs a tiny stream under every built policy: JSON keys and notes", async () => {
    // Seed 30 draws three jobs of 1.0 to 1.9 s, all arriving within 2 s, two at node 1.
    const tinyRun = (...more: string[]) =>
      sterna(
        ["bench", "balance", "--nodes", "2", "--jobs", "3", "--seed", "30", "--load", "0.9"]
          .concat(["--clock", "2", "--json"])
          .concat(more),
      );
    const [outcome, chosen] = await Promise.all([tinyRun(), tinyRun("--policies", "remote,none")]);
    expect(outcome.status, outcome.stderr).toBe(0);
    const recordsOf = (stdout: string) =>
      stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as Record<string, number | string>);
    const records = recordsOf(outcome.stdout);
    // --policies measures only those named, in the bench's order, with the same figures.
    expect(chosen.status, chosen.stderr).toBe(0);
    expect(recordsOf(chosen.stdout)).toEqual(records.slice(0, 2));
    const built = builtPolicies().map((policy) => policy.name);
    expect(records.map((record) => record.policy)).toEqual(built);
    for (const record of records) {
      expect(Object.keys(record)).toEqual(
        expect.arrayContaining([
          "policy",
          "load",
          "mean_slowdown",
          "p95_slowdown",
          "migrations",
          "bytes_moved",
          "realised_load",
        ]),
      );
      expect(record.load).toBe(0.9);
      // Three jobs within half a second: far more than the 2 nodes can carry while they arrive.
      expect(record.realised_load).toBeCloseTo(4.329, 3);
      expect(record.realised_load_to_end).toBeCloseTo(1.061, 3);
      expect(record.mean_slowdown).toBeGreaterThanOrEqual(1);
      expect(record.p95_slowdown).toBeGreaterThanOrEqual(record.mean_slowdown as number);
    }
    const none = records.find((record) => record.policy === "none")!;
    expect(none.migrations).toBe(0);
    expect(none.bytes_moved).toBe(0);
    expect(none.starter_cpu_percent).toBe(0);
    // Two jobs shared node 1 under none; remote placement spreads them.
    const remote = records.find((record) => record.policy === "remote")!;
    expect(remote.mean_slowdown).toBeLessThan(none.mean_slowdown as number);
    // The threshold Starter moves one of node 1's two jobs to the idle node 0.
    const threshold = records.find((record) => record.policy === "threshold");
    if (threshold !== undefined) {
      expect(threshold.migrations).toBeGreaterThanOrEqual(1);
      expect(threshold.bytes_moved).toBeGreaterThan(4096);
      expect(threshold.starter_cpu_percent).toBeGreaterThan(0);
      expect(threshold.mean_slowdown).toBeLessThan(none.mean_slowdown as number);
    }
    for (const policy of policies.filter((each) => !built.includes(each.name))) {
      expect(outcome.stderr).toContain(`${policy.name}: not measured`);
    }
    // Progress on stderr, not a terminal here: each run from 0 % to 100 %, in tenths that grow.
    for (const policy of built) {
      const percents = outcome.stderr
        .split("\n")
        .filter((line) => line.startsWith(`bench balance: ${policy}: `))
        .map((line) => Number(/: (\d+)%$/.exec(line)?.[1]));
      expect(percents[0], outcome.stderr).toBe(0);
      expect(percents.at(-1), outcome.stderr).toBe(100);
      expect(percents).toEqual([...percents].sort((a, b) => a - b));
    }
  }, 120_000);
});
