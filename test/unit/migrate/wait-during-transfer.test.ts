// A parent waiting for its children while one of them is between two nodes: its state has left
// the source but the migration has not ended, so the child is in neither the source's process
// table nor its list of remote children. wait used to answer -ECHILD then, and the crash-pairs
// parent exited 6 ("a wait failed") instead of its children's statuses ORed (found by the crash
// property, seed 1337157661: the partner's node crashed during the link update, so the source
// waited 4.5 s for its ack and sent the state just as the parent's other children ended).
// Replay: npx sterna boot --nodes 3 --seed 29876 --workers 1 --fabric switched:100 --run
//   'test/property/fixtures/crash-pairs.asm 2 9 1443' --migrate 7.6ms:0.2:2 --crash 7.850913ms:1

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sterna } from "../../support/run-cli.ts";

const repository = join(import.meta.dirname, "..", "..", "..");

describe("wait while a child's state is on its way to another node", () => {
  it("blocks until the child ends there, and the parent gets every child's status", async () => {
    const run = await sterna([
      "boot",
      "--nodes",
      "3",
      "--seed",
      "29876",
      "--workers",
      "1",
      "--fabric",
      "switched:100",
      "--run",
      `${join(repository, "test", "property", "fixtures", "crash-pairs.asm")} 2 9 1443`,
      "--migrate",
      "7.6ms:0.2:2",
      "--crash",
      "7.850913ms:1",
      "--until",
      "60s",
    ]);
    // Children: 1.1 and 1.2 lost with node 1 (137), 2.1 finds its partner gone (4), 0.2 moved to
    // node 2 and finds its partner gone (5): 137 | 4 | 5 = 141.
    expect(run.stderr).toMatch(/^ {2}0\.2 +2 +5 /m);
    expect(run.stderr).toMatch(/^ {2}0\.1 +0 +141 /m);
    expect(run.stderr).toContain("migrations: 1 committed, 0 cancelled, 0 failed\n");
  }, 120_000);
});
