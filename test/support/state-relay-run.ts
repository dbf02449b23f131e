// The state-relay run the migration tests share (userland/programs/state-relay.asm: a process
// and its partner on another node exchange a message every round): the boot on 10 Mbit/s
// Ethernet and the three moves by pid (0.1 to node 2; later its partner 1.1 to node 3 and 0.1
// again, to node 1), so messages stream to each moving process from another node; and the checks
// every moved run must pass.

import { join } from "node:path";
import { expect } from "vitest";
import { programsDirectory } from "../unit/node/boot-guests.ts";
import {
  checkOneRunningCopy,
  checkPairOrder,
  type MigrationRecord,
  migrationsOf,
  readTraceFile,
  runNodes,
  type TraceRecord,
  traceHashOf,
} from "./migration-trace.ts";
import type { CliOutcome } from "./run-cli.ts";

export const relayOnEthernet = [
  "boot",
  "--fabric",
  "ethernet",
  "--run",
  `${join(programsDirectory, "state-relay.asm")} 1`,
];

export const relayThreeMoves = [
  "--migrate",
  "20ms:0.1:2",
  "--migrate",
  "50ms:1.1:3",
  "--migrate",
  "50ms:0.1:1",
];

/**
 * The three moves committed; one worker thread or two give the same trace (its hash) and output;
 * in the trace of `tracePath` (the two-thread run), one running copy, the 402 receives in per-pair
 * order, 0.1 on nodes 0, 2, 1 and 1.1 on 1, 3, and three migrations.
 */
export function checkRelayMoves(
  moved: CliOutcome,
  movedOneThread: CliOutcome,
  tracePath: string,
): { trace: TraceRecord[]; migrations: MigrationRecord[] } {
  expect(moved.stderr).toContain("migrations: 3 committed, 0 cancelled, 0 failed\n");
  expect(traceHashOf(moved.stderr)).toMatch(/^[0-9a-f]{64}$/);
  expect(traceHashOf(movedOneThread.stderr)).toBe(traceHashOf(moved.stderr));
  expect(movedOneThread.stdout).toBe(moved.stdout);
  const trace = readTraceFile(tracePath);
  checkOneRunningCopy(trace);
  expect(checkPairOrder(trace)).toBe(402);
  expect(runNodes(trace, "0.1")).toEqual([0, 2, 1]);
  expect(runNodes(trace, "1.1")).toEqual([1, 3]);
  const migrations = migrationsOf(trace);
  expect(migrations).toHaveLength(3);
  return { trace, migrations };
}
