// A send passed on by a node that is not its first (issue 10, "a request passed on twice is
// watched only at its first node"). In crash-pairs on 5 nodes with --delivery redirect, 2.1
// moves 2 -> 3 at 40.5 ms and at once 3 -> 4; its partner 1.1 (node 1) still has only 2.1's home,
// node 2, as its address, and sends there at 44.7 ms, during the second move. Node 2, told at
// the freeze, passes the send on to node 4, which buffers it; node 4 crashes at 46 ms, before the
// install, and 2.1 resumes at node 3. Before, node 1 watched node 2 only (alive, it acked the
// send), so 1.1 waited until --until (exit 124) and 2.1's receive ran out. Now node 2 tells node
// 1 that node 4 holds the send; node 1 watches node 4, notices it failed and sends once more
// through the home, which knows 2.1 is back at node 3. The output is the run's without
// migration, every receive is its pair's next, one worker or two give the same trace.
// Replay: npx sterna boot --nodes 5 --seed 7 --workers 1 --run
//   'test/property/fixtures/crash-pairs.asm 1 10 20000' --until 60s --delivery redirect
//   --migrate 40.5ms:2.1:3 --migrate 40.5ms:2.1:4 --crash 46ms:4

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { crashPairsProgram } from "../../support/crash-pairs-run.ts";
import {
  checkOneRunningCopy,
  checkPairOrder,
  readTraceFile,
  traceHashOf,
} from "../../support/migration-trace.ts";
import { sterna } from "../../support/run-cli.ts";

const scratch = mkdtempSync(join(tmpdir(), "sterna-passed-on-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const still = [
  "boot",
  "--nodes",
  "5",
  "--seed",
  "7",
  "--run",
  crashPairsProgram("1 10 20000"),
  "--until",
  "60s",
];
const movedTwice = [
  ...still,
  "--delivery",
  "redirect",
  "--migrate",
  "40.5ms:2.1:3",
  "--migrate",
  "40.5ms:2.1:4",
  "--crash",
  "46ms:4",
];

describe("a send passed on by the home to a destination that crashes", () => {
  it("is watched at the node holding it, and sent again through the home", async () => {
    const tracePath = join(scratch, "trace.jsonl");
    const [alone, oneThread, twoThreads] = await Promise.all([
      sterna([...still, "--workers", "1"]),
      sterna([...movedTwice, "--workers", "1", "--trace", tracePath]),
      sterna([...movedTwice, "--workers", "2"]),
    ]);
    expect(alone.status, alone.stderr).toBe(0);
    expect(oneThread.stderr).not.toMatch(/time limit/);
    expect(oneThread.status, oneThread.stderr).toBe(0);
    expect(oneThread.stdout).toBe(alone.stdout);
    expect(oneThread.stderr).toContain("migrations: 1 committed, 0 cancelled, 1 failed\n");
    expect(oneThread.stderr).toContain(
      "node 1: process 2.1 can no longer be reached through node 4 (it failed)",
    );
    expect(oneThread.stderr).toMatch(/^ {2}2\.1 +3 +0 /m);
    expect(traceHashOf(twoThreads.stderr)).toBe(traceHashOf(oneThread.stderr));
    const trace = readTraceFile(tracePath);
    checkOneRunningCopy(trace);
    expect(checkPairOrder(trace)).toBe(22);
    // The home passed it on to node 4 (one hop from node 1's send).
    expect(
      trace.some(
        (record) =>
          record.event === "forward" &&
          record.node === 2 &&
          record.to === 4 &&
          record.pid === "2.1",
      ),
    ).toBe(true);
  }, 180_000);
});
