// Determinism across worker threads (DESIGN.md §7.7): the same seed and configuration give
// the same stdout and trace, byte for byte, whether the nodes run in the coordinator's
// thread or spread over 2 or 4 real worker threads.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bootClusterCase } from "../../support/cluster-boot.ts";

const fixtures = join(import.meta.dirname, "fixtures");

describe("worker threads", () => {
  it("give the same stdout and trace for W = 1, 2 and 4 on 8-node Ethernet", async () => {
    const boot = (workers: number) =>
      bootClusterCase({
        nodes: 8,
        fabric: "ethernet",
        seed: 42,
        workers,
        sources: {
          "spread.asm": readFileSync(join(fixtures, "spread.asm"), "utf8"),
          "remote-ping.asm": readFileSync(join(fixtures, "remote-ping.asm"), "utf8"),
        },
        runs: [
          { path: "spread.asm", node: 0, argumentText: "" },
          { path: "remote-ping.asm", node: 0, argumentText: "7" },
        ],
      });
    const one = await boot(1);
    expect(one.result.exitStatus).toBe(0);
    for (const workers of [2, 4]) {
      const many = await boot(workers);
      expect(many.stdout).toBe(one.stdout);
      expect(many.result.traceHash).toBe(one.result.traceHash);
      expect(many.trace.length).toBe(one.trace.length);
    }
  });
});
