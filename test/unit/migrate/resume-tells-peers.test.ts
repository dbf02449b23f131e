// A migration whose destination crashes mid-transfer resumes the process at its source, and
// every node the link update told of the destination hears that it is back (kernel fault 2 of
// the issue-10 notes, found by the crash property): before, only the home heard it, so the
// parent's node, told "at node 3", took the child for lost with node 3 and the parent exited 137.
// Replay: npx sterna boot --nodes 4 --seed 7 --workers 1 --run
//   'test/property/fixtures/crash-pairs.asm 1 10 2000' --migrate 9ms:1.1:3 --until 60s --crash 11ms:3

import { describe, expect, it } from "vitest";
import { crashPairsRun } from "../../support/crash-pairs-run.ts";
import { sterna } from "../../support/run-cli.ts";

const pairsRun = crashPairsRun("--workers", "1");

describe("a destination crashing mid-transfer", () => {
  it("leaves the process where it was, and no told node takes it for lost", async () => {
    const [still, crashed] = await Promise.all([
      sterna(pairsRun),
      sterna([...pairsRun, "--migrate", "9ms:1.1:3", "--crash", "11ms:3"]),
    ]);
    expect(still.status).toBe(0);
    expect(crashed.status, crashed.stderr).toBe(0);
    expect(crashed.stdout).toBe(still.stdout);
    expect(crashed.stderr).toContain("migrations: 0 committed, 0 cancelled, 1 failed\n");
    expect(crashed.stderr).not.toMatch(/lost with node 3/);
  }, 120_000);
});
