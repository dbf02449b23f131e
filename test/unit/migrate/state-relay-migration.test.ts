// Issue 9's acceptance run, through the real CLI as a user types it: the state-relay guest
// (userland/programs, NASM syntax, ABI v1) holds 256 KiB of state, every page written and
// checksummed, and exchanges a message with a partner on another node every round. It moves
// twice while its partner moves once, the partner's move and its second one under way at the
// same time, on the token ring and on Ethernet: stdout and exit status equal the run without
// migrations, the summary says `migrations: 3 committed, 0 cancelled, 0 failed`, each process
// ends where it was sent, and the trace shows each on one node at a time and every message
// received once, in order; one worker thread or two, the trace is the same.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  checkOneRunningCopy,
  checkPairOrder,
  migrationsOf,
  parseTrace,
  runNodes,
} from "../../support/migration-trace.ts";
import { sterna } from "../../support/run-cli.ts";
import { programsDirectory } from "../node/boot-guests.ts";

const relayRun = ["boot", "--run", `${join(programsDirectory, "state-relay.asm")} 1`];
/** 0.1 to node 2; later its partner 1.1 to node 3 and 0.1 (by name) to node 1, together. */
const threeMoves = [
  "--migrate",
  "20ms:0.1:2",
  "--migrate",
  "50ms:1.1:3",
  "--migrate",
  "50ms:state-relay.asm:1",
];
const stateBytes = 256 * 1024;
const scratch = mkdtempSync(join(tmpdir(), "sterna-state-relay-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe.concurrent("a 256 KiB process and its partner moving while they talk (sterna boot)", () => {
  it.each(["token-ring:80", "ethernet"])(
    "prints what it prints without moving: 3 committed, 0 cancelled, 0 failed (%s)",
    async (fabric) => {
      const tracePath = join(scratch, `${fabric}.jsonl`);
      const moves = [...relayRun, "--fabric", fabric, ...threeMoves];
      const [still, moved, movedOneThread] = await Promise.all([
        // Without --migrate the default is the threshold Starter: the still run has none either.
        sterna([...relayRun, "--fabric", fabric, "--starter", "none"]),
        sterna([...moves, "--workers", "2", "--trace", tracePath]),
        sterna([...moves, "--workers", "1"]),
      ]);
      expect(still.status).toBe(0);
      expect(still.stdout.split("\n")).toHaveLength(10);
      expect(still.stderr).toContain("migrations: 0 committed, 0 cancelled, 0 failed\n");
      expect(moved.stdout).toBe(still.stdout);
      expect(moved.status).toBe(still.status);
      expect(moved.stderr).toContain("migrations: 3 committed, 0 cancelled, 0 failed\n");
      expect(moved.stderr).toMatch(/^ {2}0\.1 +1 +0 /m);
      expect(moved.stderr).toMatch(/^ {2}1\.1 +3 +0 /m);
      // Invariant 7: the same trace whatever the number of worker threads.
      const traceHash = (stderr: string) => /^trace-hash: (\w+)$/m.exec(stderr)?.[1];
      expect(traceHash(moved.stderr)).toMatch(/^[0-9a-f]{64}$/);
      expect(traceHash(movedOneThread.stderr)).toBe(traceHash(moved.stderr));
      expect(movedOneThread.stdout).toBe(moved.stdout);

      const trace = parseTrace(readFileSync(tracePath, "utf8").trimEnd().split("\n"));
      checkOneRunningCopy(trace);
      // 200 rounds each way, the end-of-rounds message and its answer.
      expect(checkPairOrder(trace)).toBe(402);
      expect(runNodes(trace, "0.1")).toEqual([0, 2, 1]);
      expect(runNodes(trace, "1.1")).toEqual([1, 3]);
      const migrations = migrationsOf(trace);
      expect(migrations.map((m) => [m.pid, m.fromNode, m.toNode, m.end?.outcome])).toEqual(
        expect.arrayContaining([
          ["0.1", 0, 2, "committed"],
          ["1.1", 1, 3, "committed"],
          ["0.1", 2, 1, "committed"],
        ]),
      );
      expect(migrations).toHaveLength(3);
      // The partner's move overlaps a move of the relay's: both sides of the pair move at once.
      const partnerMove = migrations.find((m) => m.pid === "1.1")!;
      const overlapping = migrations.filter(
        (m) => m.pid === "0.1" && m.startNs < partnerMove.end!.t && partnerMove.startNs < m.end!.t,
      );
      expect(overlapping.length).toBeGreaterThan(0);
      // At least one move carried the whole state (every page of it had been written).
      const bytesMoved = migrations.filter((m) => m.pid === "0.1").map((m) => m.end!.bytes);
      expect(Math.max(...(bytesMoved as number[]))).toBeGreaterThan(stateBytes);
    },
    180_000,
  );
});
