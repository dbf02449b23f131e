// A 256-node cluster through the CLI: it boots, a process on node 0 exchanges messages with a
// child on node 255, and the summary names the node of every process (the 256 Starters and
// both ping processes), so the child's line is there too.

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sterna } from "../../support/run-cli.ts";

const program = join(import.meta.dirname, "fixtures", "last-node-ping.asm");

describe("a 256-node cluster", () => {
  it("boots and runs a ping to its last node; the summary lists the child on it", async () => {
    const outcome = await sterna(["boot", "--nodes", "256", "--run", program]);
    expect(outcome.stdout).toBe("last node answered\n");
    expect(outcome.status, outcome.stderr).toBe(0);
    expect(outcome.stderr).toMatch(/^cluster: 256 node\(s\)/m);
    expect(outcome.stderr).toMatch(/^ {2}255\.2 +255 +0 /m);
    expect(outcome.stderr).toMatch(/^node 255 load:/m);
    expect(outcome.stderr).not.toContain("more");
  }, 120_000);
});
