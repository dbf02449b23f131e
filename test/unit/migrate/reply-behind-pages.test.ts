// A healthy destination whose MigrateReply waits in its own transport queue, behind the pages of
// another migration it is sending to the source, must not be failed "no reply" (review of issue
// 10, finding 6). hoarder (2 MiB heap) moves from node 1 to node 0 by direct copy on the shared
// 10 Mbit/s Ethernet; while its pages stream, node 0 asks node 1 to take sleeper. Node 1's
// built-in acceptor answers at once, but the answer is queued behind up to 1 MiB of pages (about
// 0.8 s of wire): the source, which had a 100 ms clock of its own on the reply, failed it. The
// source now waits on the transport alone (it probes the destination while it waits), and only
// a destination's Starter that does not answer in time makes the request fail
// (test/unit/starters/starter-messages.test.ts).

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { migrationsOf, parseTrace } from "../../support/migration-trace.ts";
import { sterna } from "../../support/run-cli.ts";

const fixtures = join(import.meta.dirname, "fixtures");
const run = [
  "boot",
  "--fabric",
  "ethernet",
  "--run",
  `${join(fixtures, "hoarder.asm")}@1 2048`,
  "--run",
  join(fixtures, "sleeper.asm"),
];
const crossingMoves = ["--migrate", "10ms:1.1:0", "--migrate", "15ms:0.1:1"];
const scratch = mkdtempSync(join(tmpdir(), "sterna-reply-behind-pages-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Each process's own lines, in order (the two interleave by virtual time, which a move shifts). */
function linesOf(stdout: string): { ticks: string[]; rounds: string[] } {
  const lines = stdout.trimEnd().split("\n");
  return {
    ticks: lines.filter((line) => line === "tick"),
    rounds: lines.filter((line) => line !== "tick"),
  };
}

describe("a destination whose reply waits behind another migration's pages", () => {
  it("commits both crossing moves, the faults' probes on or off; same trace for 1 and 2 workers", async () => {
    const tracePath = join(scratch, "crossing.jsonl");
    const [still, moved, movedOneThread, movedWatching] = await Promise.all([
      sterna([...run, "--starter", "none"]),
      sterna([...run, ...crossingMoves, "--workers", "2", "--trace", tracePath]),
      sterna([...run, ...crossingMoves, "--workers", "1"]),
      // A crash of an uninvolved node turns on the watch: the source probes the destination.
      sterna([...run, ...crossingMoves, "--crash", "5s:3"]),
    ]);
    expect(linesOf(still.stdout).ticks).toHaveLength(50);
    for (const outcome of [moved, movedWatching]) {
      expect(outcome.stderr).toContain("migrations: 2 committed, 0 cancelled, 0 failed\n");
      expect(outcome.stderr).not.toContain("no reply");
      expect(linesOf(outcome.stdout)).toEqual(linesOf(still.stdout));
      expect(outcome.status).toBe(still.status);
      expect(outcome.stderr).toMatch(/^ {2}0\.1 +1 +0 /m);
      expect(outcome.stderr).toMatch(/^ {2}1\.1 +0 /m);
    }
    const traceHash = (stderr: string) => /^trace-hash: (\w+)$/m.exec(stderr)?.[1];
    expect(traceHash(moved.stderr)).toMatch(/^[0-9a-f]{64}$/);
    expect(traceHash(movedOneThread.stderr)).toBe(traceHash(moved.stderr));

    const trace = parseTrace(readFileSync(tracePath, "utf8").trimEnd().split("\n"));
    const migrations = migrationsOf(trace);
    const sleeperMove = migrations.find((m) => m.pid === "0.1")!;
    const hoarderMove = migrations.find((m) => m.pid === "1.1")!;
    expect(sleeperMove.end?.outcome).toBe("committed");
    // The reply came long after the source's old 100 ms clock would have run out.
    expect(sleeperMove.committedAtNs! - sleeperMove.startNs).toBeGreaterThan(300_000_000);
    expect(hoarderMove.end?.outcome).toBe("committed");
  }, 120_000);
});
