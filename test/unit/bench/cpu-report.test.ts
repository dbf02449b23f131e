// The CPU bench's report as `sterna bench cpu` prints it: one line per workload with guest
// MIPS and the speed relative to qemu-i386, a start-up line, and a usage error for a bad
// --runs (exit 2, no stack trace).

import { describe, expect, it } from "vitest";
import {
  type CpuBenchReport,
  cpuReportJsonLines,
  formatCpuReport,
} from "../../../tools/bench/cpu-measure.ts";
import { sterna } from "../../support/run-cli.ts";

const report: CpuBenchReport = {
  runs: 3,
  workloads: [
    {
      name: "c-bench",
      args: ["20"],
      instructions: 2_000_000,
      sternaMs: 10,
      sternaWallMs: 11,
      guestMips: 200,
      qemuMs: 2.5,
      qemuWallMs: 4,
      speedRatio: 0.25,
      wallSpeedRatio: 0.3,
      outputsAgree: true,
    },
    {
      name: "coremark",
      args: [],
      instructions: 1_000_000,
      sternaMs: 20,
      sternaWallMs: 20,
      guestMips: 50,
      qemuMs: 1,
      speedRatio: 0.05,
      outputsAgree: false,
    },
  ],
  qemuStartupMs: 12,
  qemuStartupWallMs: 13,
  sternaStartupMs: 150,
  sternaStartupCpuMs: 140,
};

describe("sterna bench cpu", () => {
  it("prints guest MIPS, the ratio to qemu-i386 and start-up apart", () => {
    const lines = formatCpuReport(report);
    expect(lines[0]).toBe(
      "c-bench   2000000 instructions, 10 ms CPU (11 ms wall with start-up), 200.0 guest MIPS; qemu-i386 3 ms CPU: 0.250x qemu's speed (wall time: 0.300x)",
    );
    expect(lines[1]).toContain("0.050x qemu's speed (OUTPUTS DIFFER)");
    expect(lines[2]).toBe(
      "start-up  sterna exec (empty program) 150 ms (140 ms CPU, subtracted); qemu-i386 12 ms CPU, 13 ms wall (subtracted from its times)",
    );
  });

  it("prints one JSON object per line with a bench key and units in the key names", () => {
    const records = cpuReportJsonLines(report).map((line) => JSON.parse(line));
    expect(records.map((record) => record.bench)).toEqual(["cpu", "cpu", "startup"]);
    expect(records[0]).toMatchObject({
      workload: "c-bench",
      sterna_cpu_ms: 10,
      guest_mips: 200,
      qemu_cpu_ms: 2.5,
      speed_ratio: 0.25,
      wall_speed_ratio: 0.3,
      outputs_agree: true,
    });
    expect(records[1]).toMatchObject({
      workload: "coremark",
      qemu_wall_ms: null,
      wall_speed_ratio: null,
    });
    expect(records[2]).toEqual({
      bench: "startup",
      runs: 3,
      sterna_exec_wall_ms: 150,
      sterna_exec_cpu_ms: 140,
      qemu_cpu_ms: 12,
      qemu_wall_ms: 13,
    });
  });

  it("refuses --runs 0 with a usage error, exit 2", async () => {
    const outcome = await sterna(["bench", "cpu", "--runs", "0"]);
    expect(outcome.status).toBe(2);
    expect(outcome.stderr).toContain("expected an integer from 1 to 100");
    expect(outcome.stderr).not.toContain("    at ");
  });
});
