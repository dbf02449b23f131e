// The campaign runner's own robustness (tools/fuzz/main.ts): it answers --help and a bad
// option in one line, and its watchdog does not take time the host kept it stopped (SIGSTOP
// from a tool that quiets niced processes while it measures) for a hang of the input.

import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { StoppedClock } from "../../../tools/fuzz/stopped-clock.ts";

const mainPath = new URL("../../../tools/fuzz/main.ts", import.meta.url).pathname;

function runFuzz(
  args: string[],
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", mainPath, ...args]);
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

describe("the fuzzing campaign's runner", () => {
  it("prints its options for --help, status 0", async () => {
    const outcome = await runFuzz(["--help"]);
    expect(outcome.status).toBe(0);
    expect(outcome.stdout).toContain("--runs N");
    expect(outcome.stdout).toContain("elf, cli, syscall, code");
    expect(outcome.stderr).toBe("");
  });

  it("refuses an unknown option in one line, status 2, no stack trace", async () => {
    const outcome = await runFuzz(["--bogus"]);
    expect(outcome.status).toBe(2);
    expect(outcome.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(outcome.stderr).toContain("--bogus");
  });
});

describe("StoppedClock", () => {
  it("counts a long gap between heartbeats as stopped and leaves it out of the time run", () => {
    let nowMs = 1000;
    const clock = new StoppedClock(() => nowMs);
    try {
      nowMs = 1050;
      expect(clock.stoppedMsSoFar()).toBe(0);
      const armedMs = clock.now();
      nowMs = 6050; // the process was stopped for about five seconds
      expect(clock.stoppedMsSoFar()).toBe(4900);
      expect(clock.ranMsSince(armedMs, 0)).toBe(100);
      nowMs = 6550; // and then ran, with heartbeats on time
      for (let t = 6150; t <= 6550; t += 100) {
        nowMs = t;
        clock.stoppedMsSoFar();
      }
      expect(clock.ranMsSince(armedMs, 0)).toBe(600);
    } finally {
      clock.stop();
    }
  });

  it("does not count a gap it was told was work (a blocking spawnSync)", () => {
    let nowMs = 0;
    const clock = new StoppedClock(() => nowMs);
    try {
      nowMs = 30_000;
      clock.skipGap();
      expect(clock.stoppedMsSoFar()).toBe(0);
    } finally {
      clock.stop();
    }
  });
});
