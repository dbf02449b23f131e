// A process moved ten or eleven times round a 12-node cluster, then sent to along the chain of
// nodes it left (issue 10: "chains of links are collapsed lazily as Charlotte does"; "IPC stays
// exactly-once and FIFO per pair"). In crash-pairs (one pair, 4 rounds 3 s apart), 2.1 moves
// once before round 2, so its partner 1.1 learns a node it left (3, by link-collapse) or has it
// on its own node (1, the first node the chain starts from); then nine or ten moves, through
// every other node to node 0, while the partner sends nothing. Round 3's send goes along every
// node's entry: nine passes. Before, a message passed on 8 times was given up: the partner's
// send answered -ESRCH (it exited 4) and 2.1 waited for a message that never came. Now a node
// passes a message on by its own entry only when that entry is newer than those it went by
// (else to the home), so only a loop of stale entries stops it, and the node that finds the
// process tells the nodes in the middle where it is (trace chain-shortened).

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

const scratch = mkdtempSync(join(tmpdir(), "sterna-long-chain-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const pairRun = [
  "boot",
  "--nodes",
  "12",
  "--fabric",
  "switched:1000",
  "--seed",
  "7",
  "--starter",
  "none",
  "--run",
  crashPairsProgram("1 4 3000000"),
  "--until",
  "60s",
];

/** 2.1's moves: to `firstNode` before round 2, then round the cluster to node 0 before round 3. */
function movesRound(firstNode: number): string[] {
  const later = [3, 4, 5, 6, 7, 8, 9, 10, 11, 0].filter((node) => node !== firstNode);
  return [
    "--migrate",
    `1000ms:2.1:${firstNode}`,
    ...later.flatMap((node, index) => ["--migrate", `${3500 + 200 * index}ms:2.1:${node}`]),
  ];
}

let stillStdout: Promise<string> | undefined;
function stillRun(): Promise<string> {
  stillStdout ??= sterna(pairRun).then((still) => {
    expect(still.status, still.stderr).toBe(0);
    return still.stdout;
  });
  return stillStdout;
}

describe("a long chain of moves, then a send along it", () => {
  it.each([
    ["redirect", 3, "a partner that learnt a node in the middle"],
    ["redirect", 1, "a partner on the first node of the chain"],
    ["recover", 3, "a partner that learnt a node in the middle"],
    ["recover", 1, "a partner on the first node of the chain"],
  ])(
    "--delivery %s, 2.1 first moved to node %i: %s",
    async (delivery, firstNode) => {
      const moves = movesRound(firstNode);
      const tracePath = join(scratch, `${delivery}-${firstNode}.jsonl`);
      const run = [...pairRun, ...moves, "--delivery", delivery];
      const [still, moved, movedOneThread] = await Promise.all([
        stillRun(),
        sterna([...run, "--workers", "2", "--trace", tracePath]),
        sterna([...run, "--workers", "1"]),
      ]);
      expect(moved.stdout).toBe(still);
      expect(moved.status, moved.stderr).toBe(0);
      expect(moved.stderr).toContain(`migrations: ${moves.length / 2} committed, 0 cancelled`);
      expect(traceHashOf(moved.stderr)).toBe(traceHashOf(movedOneThread.stderr));
      const trace = readTraceFile(tracePath);
      checkOneRunningCopy(trace);
      // Four rounds, each a message both ways: every one received once, in per-pair order.
      expect(checkPairOrder(trace, "0.1")).toBe(8);
      expect(trace.some((record) => record.event === "send-refused")).toBe(false);
      if (delivery !== "redirect") return;
      // Round 3's message went along the chain, node by node, to node 0 ...
      const longest = Math.max(
        ...trace
          .filter((record) => record.event === "forward" && record.pid === "2.1")
          .map((record) => Number(record.hops)),
      );
      expect(longest).toBe(9);
      // ... which told the nodes in the middle (all but the origin, the home, and the last).
      const shortened = trace.find((record) => record.event === "chain-shortened");
      expect(shortened).toMatchObject({ node: 0, pid: "2.1", nodes: "3,4,5,6,7,8,9,10", hops: 9 });
    },
    120_000,
  );
});
