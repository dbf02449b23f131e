// What the boot summary says of a migration that did not happen (review of issue 10, N4 and N6):
// - the destination's Starter calls cancel_migrate for a request it holds: the source's line
//   reads `cancelled (cancelled by the destination)` (before: `cancelled (denied (-1))`, a deny
//   that did not happen); still counted cancelled.
// - a --migrate by name whose name query a crashed node has not answered when the run ends:
//   a line `migration NAME -> nN not started (...)` naming the silent node, counted nowhere
//   (before: nothing at all).

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { crashPairsRunOf } from "../../support/crash-pairs-run.ts";
import { sterna } from "../../support/run-cli.ts";

const answeringStarter = join(
  import.meta.dirname,
  "..",
  "starters",
  "fixtures",
  "answering-starter.asm",
);
const sleeper = join(import.meta.dirname, "fixtures", "sleeper.asm");

describe.concurrent("the summary's line for a migration that did not happen", () => {
  it("names a cancel by the destination's Starter as such", async () => {
    // ANSWER 3: node 1's Starter calls cancel_migrate for the request node 0's Starter asked.
    const directory = mkdtempSync(join(tmpdir(), "sterna-cancel-"));
    const starter = join(directory, "cancelling-starter.asm");
    writeFileSync(starter, `%define ANSWER 3\n${readFileSync(answeringStarter, "utf8")}`);
    const run = await sterna(["boot", "--nodes", "3", "--starter", starter, "--run", sleeper]);
    expect(run.stderr).toMatch(
      /^migration 0\.2 n0 -> n1 cancelled \(cancelled by the destination\): /m,
    );
    expect(run.stderr).not.toMatch(/denied/);
    expect(run.stderr).toContain("migrations: 0 committed, 1 cancelled, 0 failed");
    expect(run.status).toBe(0);
  }, 60_000);

  it("names a --migrate by name still waiting for its name query at the end", async () => {
    const run = await sterna(
      crashPairsRunOf("1 5 5000", "--crash", "5ms:3", "--migrate", "10ms:crash-pairs:2"),
    );
    expect(run.stderr).toContain(
      "migration crash-pairs -> n2 not started (the run ended before node(s) 3 answered its name query)",
    );
    expect(run.stderr).toContain("migrations: 0 committed, 0 cancelled, 0 failed");
    expect(run.status).toBe(0);
  }, 60_000);
});
