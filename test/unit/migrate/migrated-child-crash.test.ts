// A parent's wait for a remote child that migrated, when the child's new node crashes (issue
// 10: "their parents' wait sees status 137"). The parent (0.1, node 0) spawns 1.1 on node 1;
// 1.1 moves to node 2 at 20 ms, and node 2 crashes at 60 ms. The parent's node watched the node
// it spawned the child on (node 1, alive), so it never heard of the crash: the run ended with
// the parent "blocked forever". Now the source tells the parent's node of the move under every
// delivery method (a ChildMoved, passed on to wherever the parent lives); it watches node 2 and
// gives the parent 137 for 1.1.
// The parent moving too (to node 2, the child to node 3, which crashes), in either order: the
// child's source believed the parent on node 0, which no longer held it, and a parent that moved
// after its child came to node 2 without the child's node; both ended "blocked forever" under
// every method. Now ChildMoved is passed on to the parent like a ChildExit, and a moving
// parent's source sends the nodes of its remote children after its state.

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sterna } from "../../support/run-cli.ts";

const program = join(import.meta.dirname, "fixtures", "remote-parent.asm");

async function parentSees137(moves: string[], crashedNode: number, delivery: string) {
  const outcome = await sterna([
    "boot",
    "--run",
    program,
    ...moves.flatMap((move) => ["--migrate", move]),
    "--crash",
    `60ms:${crashedNode}`,
    "--delivery",
    delivery,
    "--until",
    "60s",
  ]);
  expect(outcome.stderr).not.toContain("blocked forever");
  expect(outcome.stdout).toBe("00000089 00100001\n");
  expect(outcome.status).toBe(0);
  expect(outcome.stderr).toMatch(
    new RegExp(`process 1\\.1 lost with node ${crashedNode} .* its parent 0\\.1 sees status 137`),
  );
}

describe("a migrated remote child whose new node crashes", () => {
  it.each(["prevent", "redirect", "recover"])(
    "ends with status 137 in its parent's wait (--delivery %s)",
    (delivery) => parentSees137(["20ms:1.1:2"], 2, delivery),
  );

  it.each(["prevent", "redirect", "recover"])(
    "ends with 137 for a parent that moved away first (--delivery %s)",
    (delivery) => parentSees137(["10ms:0.1:2", "20ms:1.1:3"], 3, delivery),
  );

  it.each(["prevent", "redirect", "recover"])(
    "ends with 137 for a parent that moved after its child (--delivery %s)",
    (delivery) => parentSees137(["10ms:1.1:3", "20ms:0.1:2"], 3, delivery),
  );
});
