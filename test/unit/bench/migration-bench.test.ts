// `sterna bench migration`: its options refuse bad sizes and fabrics with one line and exit
// 2; a direct copy's freeze is the wire time of what it sent plus protocol overhead; --json
// prints one object per line with the keys the issue names, for every strategy and delivery
// method; --svg draws every series; the 10 MiB Ethernet check holds.

import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lineChartSvg, niceCeiling } from "../../../tools/bench/line-chart-svg.ts";
import { fabricBitsPerSecond, measureStrategy, plotSizes } from "../../../tools/bench/migration.ts";
import { byteSizeInRange } from "../../../tools/cli/option-parsers.ts";
import { sterna } from "../../support/run-cli.ts";

describe("bench migration", () => {
  it("reads sizes in bytes, KiB and MiB, whole pages within bounds", () => {
    const parse = byteSizeInRange(64 * 1024, 15 * 1024 * 1024);
    expect(parse("10MiB")).toBe(10 * 1024 * 1024);
    expect(parse("256KiB")).toBe(262_144);
    expect(parse("65536")).toBe(65_536);
    expect(parse("1.5MiB")).toBe(1_572_864);
    for (const bad of ["3KiB", "16MiB", "10 GB", "", "-1MiB", "65537", "1e6"]) {
      expect(() => parse(bad), bad).toThrow(/whole 4 KiB pages/);
    }
  });

  it("plots up to four sizes, halving, never under the hot set", () => {
    expect(plotSizes(10 * 1024 * 1024)).toEqual([1310720, 2621440, 5242880, 10485760]);
    expect(plotSizes(128 * 1024)).toEqual([65536, 131072]);
  });

  it("knows each fabric's bit rate", () => {
    expect(fabricBitsPerSecond("ethernet")).toBe(10e6);
    expect(fabricBitsPerSecond("token-ring")).toBe(80e6);
    expect(fabricBitsPerSecond("token-ring:4")).toBe(4e6);
    expect(fabricBitsPerSecond("switched")).toBe(100e6);
    expect(fabricBitsPerSecond("switched:1000")).toBe(1000e6);
  });

  it("draws a chart with an axis range that holds every point", () => {
    expect([niceCeiling(0), niceCeiling(0.3), niceCeiling(7), niceCeiling(130)]).toEqual([
      1, 0.5, 10, 200,
    ]);
    const svg = lineChartSvg({
      title: "a <b> & c",
      xLabel: "x",
      yLabel: "y",
      series: [
        {
          name: "one",
          points: [
            [1, 5],
            [2, 9],
          ],
        },
        { name: "two", points: [[1, 2]] },
      ],
    });
    expect(svg.startsWith("<svg ")).toBe(true);
    expect(svg).toContain("a &lt;b&gt; &amp; c");
    expect(svg.match(/<polyline /g)).toHaveLength(2);
    expect(svg.match(/<circle /g)).toHaveLength(3);
  });

  it("freezes a direct copy for its wire time plus protocol overhead", async () => {
    const figures = await measureStrategy("direct", 256 * 1024, "switched:100");
    expect(figures.bytes_sent).toBeGreaterThan(256 * 1024);
    expect(figures.freeze_ms).toBeGreaterThan(figures.wire_ms);
    expect(figures.freeze_ms).toBeLessThan(figures.wire_ms * 1.5);
    expect(figures.total_ms).toBeGreaterThanOrEqual(figures.freeze_ms);
    expect(figures.rounds).toBe(1);
  });

  it("refuses a bad size or fabric with one line and status 2", async () => {
    for (const args of [
      ["--size", "3KiB"],
      ["--fabric", "carrier-pigeon"],
    ]) {
      const outcome = await sterna(["bench", "migration", ...args]);
      expect(outcome.status).toBe(2);
      expect(outcome.stderr.trim().split("\n")).toHaveLength(1);
      expect(outcome.stderr).toContain(args[0]);
    }
  });

  it("prints one JSON object per line with the issue's keys, and draws the plot", async () => {
    const folder = mkdtempSync(join(tmpdir(), "sterna-bench-migration-"));
    const svgPath = join(folder, "migration.svg");
    const outcome = await sterna([
      "bench",
      "migration",
      "--size",
      "128KiB",
      "--fabric",
      "switched:1000",
      "--json",
      "--svg",
      svgPath,
    ]);
    expect(outcome.status, outcome.stderr).toBe(0);
    const records = outcome.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const strategies = records.filter((record) => record.strategy !== undefined);
    expect(strategies.map((record) => record.strategy)).toEqual(["direct", "precopy", "cor"]);
    for (const record of strategies) {
      expect(Object.keys(record)).toEqual(
        expect.arrayContaining(["strategy", "freeze_ms", "total_ms", "bytes_sent", "rounds"]),
      );
    }
    const deliveries = records.filter((record) => record.delivery !== undefined);
    expect(deliveries.map((record) => record.delivery)).toEqual(["prevent", "redirect", "recover"]);
    for (const record of deliveries) {
      expect(Object.keys(record)).toEqual(
        expect.arrayContaining(["delivery", "forwarded", "resent", "residual", "partner_delay_ms"]),
      );
    }
    const [prevent, redirect, recover] = deliveries;
    // prevent and recover leave no residual dependency; redirect leaves its source's link.
    expect([prevent!.residual, redirect!.residual, recover!.residual]).toEqual([0, 1, 0]);
    expect([prevent!.resent, redirect!.resent]).toEqual([0, 0]);
    expect(recover!.resent).toBe(recover!.dropped);
    expect(outcome.stderr).toContain("bench migration: direct");
    const svg = readFileSync(svgPath, "utf8");
    for (const strategy of ["direct", "precopy", "cor"]) {
      expect(svg).toContain(`${strategy} freeze`);
      expect(svg).toContain(`${strategy} total`);
    }
  }, 120_000);

  it("meets the issue's check: 10 MiB on Ethernet, direct freezes 8-10 s, pre-copy 10 % of it, cor 5 %", async () => {
    const size = 10 * 1024 * 1024;
    const [direct, precopy, cor] = await Promise.all([
      measureStrategy("direct", size, "ethernet"),
      measureStrategy("precopy", size, "ethernet"),
      measureStrategy("cor", size, "ethernet"),
    ]);
    expect(direct.freeze_ms).toBeGreaterThanOrEqual(8000);
    expect(direct.freeze_ms).toBeLessThanOrEqual(10_000);
    expect(direct.rounds).toBe(1);
    expect(precopy.freeze_ms).toBeLessThanOrEqual(direct.freeze_ms * 0.1);
    expect(precopy.rounds).toBeGreaterThanOrEqual(2);
    expect(precopy.total_ms).toBeGreaterThan(direct.freeze_ms);
    expect(precopy.bytes_sent).toBeGreaterThan(direct.bytes_sent);
    expect(cor.freeze_ms).toBeLessThanOrEqual(direct.freeze_ms * 0.05);
    expect(cor.rounds).toBe(0);
    // Every page it reads still crosses the wire, on demand: its total is no shorter.
    expect(cor.total_ms).toBeGreaterThan(direct.freeze_ms);
    expect(cor.bytes_sent).toBeGreaterThan(size);
  }, 180_000);
});
