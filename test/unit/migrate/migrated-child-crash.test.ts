// A parent's wait for a remote child that migrated, when the child's new node crashes (issue
// 10: "their parents' wait sees status 137"). The parent (0.1, node 0) spawns 1.1 on node 1;
// 1.1 moves to node 2 at 20 ms, and node 2 crashes at 60 ms. The parent's node watched the node
// it spawned the child on (node 1, alive), so it never heard of the crash: the run ended with
// the parent "blocked forever". Now the source tells the parent's node of the move under every
// delivery method (under redirect and recover it notes it for its watch alone, routing no send
// by it); it watches node 2 and gives the parent 137 for 1.1.

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sterna } from "../../support/run-cli.ts";

const program = join(import.meta.dirname, "fixtures", "remote-parent.asm");

describe("a migrated remote child whose new node crashes", () => {
  it.each(["prevent", "redirect", "recover"])(
    "ends with status 137 in its parent's wait (--delivery %s)",
    async (delivery) => {
      const outcome = await sterna([
        "boot",
        "--run",
        program,
        "--migrate",
        "20ms:1.1:2",
        "--crash",
        "60ms:2",
        "--delivery",
        delivery,
        "--until",
        "60s",
      ]);
      expect(outcome.stderr).not.toContain("blocked forever");
      expect(outcome.stdout).toBe("00000089 00100001\n");
      expect(outcome.status).toBe(0);
      expect(outcome.stderr).toMatch(
        /process 1\.1 lost with node 2 .* its parent 0\.1 sees status 137/,
      );
    },
  );
});
