// tools/bench/cpu-host-instructions.ts refuses a workload it does not know with one line
// and exit 2, before it looks for valgrind (the count itself needs valgrind, which the test
// machines need not have; docs/cpu.md has its figures).

import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

const script = new URL("../../../tools/bench/cpu-host-instructions.ts", import.meta.url).pathname;

describe("cpu-host-instructions", () => {
  it("names the unknown workload and the usage in one line, exit 2", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", script, "dhrystone"], {
      encoding: "utf8",
    });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr.trim().split("\n")).toEqual([
      'cpu-host-instructions: unknown workload "dhrystone"; usage: [--json] [--no-qemu] [c-bench|coremark [args...]]',
    ]);
  });
});
