// The memory strategies of `sterna boot --strategy` (docs/migration.md, "Memory strategies"),
// through the real CLI. The state-relay guest (256 KiB of state, every page written) exchanges
// a message with its partner on another node every round while it moves twice and its partner
// once, on Ethernet (by --migrate orders; a Starter's moves use the strategy too): with pre-copy
// and with copy-on-reference, stdout and status equal the run
// without migrations, every message is received once in per-pair order, each process runs on
// one node at a time, and one worker thread or two give the same trace. Pre-copy copies while
// the process runs and freezes it for fewer pages than its first round; copy-on-reference
// freezes it for the page table alone and the pages follow on demand, all of them before it
// moves on. Failures: a pre-copy whose destination crashes during the rounds leaves the process
// running at the source, never frozen (counted failed, also when the process ends before the
// crash is detected); a process moved by copy-on-reference
// whose source crashes before it has fetched its pages ends with status 137, the report naming
// the lost source.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  checkOneRunningCopy,
  readTraceFile,
  type TraceRecord,
} from "../../support/migration-trace.ts";
import { sterna } from "../../support/run-cli.ts";
import {
  checkRelayMoves,
  relayOnEthernet,
  relayThreeMoves,
} from "../../support/state-relay-run.ts";

const stateBytes = 256 * 1024;
const sleeperPath = join(import.meta.dirname, "fixtures", "sleeper.asm");
const relayFixturePath = join(import.meta.dirname, "fixtures", "relay.asm");
const moverPath = join(import.meta.dirname, "fixtures", "mover.asm");
const scratch = mkdtempSync(join(tmpdir(), "sterna-strategies-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The moment `pid` was frozen on `node` (a migration from there began its transfer). */
function frozenAt(trace: TraceRecord[], pid: string, node: number): TraceRecord {
  return trace.find(
    (record) =>
      record.event === "stop" &&
      record.state === "frozen" &&
      record.pid === pid &&
      record.node === node,
  )!;
}

/** The relay's three moves with `strategy`: checked against the still run; returns the trace. */
async function movedLikeStill(strategy: string): Promise<TraceRecord[]> {
  const tracePath = join(scratch, `${strategy}.jsonl`);
  const moves = [...relayOnEthernet, ...relayThreeMoves, "--strategy", strategy];
  const [still, moved, movedOneThread] = await Promise.all([
    sterna([...relayOnEthernet, "--starter", "none"]),
    sterna([...moves, "--workers", "2", "--trace", tracePath]),
    sterna([...moves, "--workers", "1"]),
  ]);
  expect(still.status).toBe(0);
  expect(moved.stdout).toBe(still.stdout);
  expect(moved.status).toBe(still.status);
  expect(moved.stderr).toMatch(/^ {2}0\.1 +1 +0 /m);
  expect(moved.stderr).toMatch(/^ {2}1\.1 +3 +0 /m);
  const { trace, migrations } = checkRelayMoves(moved, movedOneThread, tracePath);
  for (const migration of migrations) {
    expect(migration.end).toMatchObject({ outcome: "committed", strategy });
  }
  return trace;
}

describe.concurrent("sterna boot --strategy", () => {
  it("pre-copy: copies while it runs, freezes for the pages dirtied since", async () => {
    const trace = await movedLikeStill("precopy");
    const rounds = trace.filter((record) => record.event === "migrate-round");
    // The relay's second move carries its whole state: a live first round of at least 64 pages,
    // then (after live rounds while they shrink) a frozen one with fewer.
    const second = rounds.filter((record) => record.pid === "0.1" && record.node === 2);
    expect(second[0]).toMatchObject({ round: 1, frozen: false });
    expect(second[0]!.pages as number).toBeGreaterThanOrEqual(stateBytes / 4096);
    const frozen = second.filter((record) => record.frozen === true);
    expect(frozen).toHaveLength(1);
    expect(frozen[0]!.pages as number).toBeLessThan(second[0]!.pages as number);
    const end = trace.find(
      (record) => record.event === "migrate-end" && record.pid === "0.1" && record.node === 2,
    )!;
    expect(end.rounds).toBe(second.length);
    expect(end.bytes as number).toBeGreaterThan(stateBytes);
    // The freeze comes only once the live rounds are over.
    const freeze = frozenAt(trace, "0.1", 2);
    expect(freeze.t).toBeGreaterThan(second[0]!.t);
  }, 240_000);

  it("copy-on-reference: freezes for the page table, fetches the pages on demand", async () => {
    const trace = await movedLikeStill("cor");
    const ends = trace.filter((record) => record.event === "migrate-end");
    for (const end of ends) {
      expect(end.rounds).toBe(0);
      expect(end.residual).toBe(1);
      // The state and the page table only: a few KiB, not the 256 KiB of state.
      expect(end.bytes as number).toBeLessThan(16 * 1024);
    }
    // Node 2 lent 0.1's pages to node 1 and node 0 lent them to node 2: the pages left node 2
    // for node 1 on demand; those node 0 lent were all fetched before 0.1 moved on.
    const lent = trace.filter((record) => record.event === "page-lent" && record.pid === "0.1");
    expect(lent.length).toBeGreaterThan(0);
    const fromFirstSource = trace.find(
      (record) =>
        record.event === "migrate-residual-end" && record.pid === "0.1" && record.node === 0,
    )!;
    expect(fromFirstSource).toMatchObject({ why: "all pages fetched", unfetched: 0 });
    const secondFreeze = frozenAt(trace, "0.1", 2);
    expect(fromFirstSource.t).toBeLessThanOrEqual(secondFreeze.t);
    const fetchedBytes = trace
      .filter((record) => record.event === "page-fetched" && record.pid === "0.1")
      .reduce((sum, record) => sum + (record.pages as number) * 4096, 0);
    expect(fetchedBytes).toBeGreaterThan(stateBytes);
  }, 240_000);

  it.each(["precopy", "cor"])(
    "moves by the strategy when a Starter asks too (%s)",
    async (strategy) => {
      // mover.asm, the Starter on every node, moves 0.2 (the relay) to node 2 at 3 ms.
      const run = ["boot", "--nodes", "4", "--run", `${relayFixturePath} 1`];
      const tracePath = join(scratch, `starter-${strategy}.jsonl`);
      const [still, moved] = await Promise.all([
        sterna([...run, "--starter", "none"]),
        sterna([...run, ...["--starter", moverPath, "--strategy", strategy, "--trace", tracePath]]),
      ]);
      expect(moved.stdout).toBe(still.stdout);
      expect(moved.status).toBe(still.status);
      expect(moved.stderr).toContain("starter ok\n");
      expect(moved.stderr).toContain("migrations: 1 committed, 0 cancelled, 0 failed\n");
      const trace = readTraceFile(tracePath);
      checkOneRunningCopy(trace);
      expect(trace.find((record) => record.event === "migrate-end")).toMatchObject({
        pid: "0.2",
        to: 2,
        outcome: "committed",
        strategy,
      });
    },
    120_000,
  );

  it("pre-copy: a destination crashing during the rounds leaves the process running at the source", async () => {
    // The sleeper's round 1 (three pages) starts at the accept, about 20.3 ms, and its frames
    // are still unacknowledged at 25 ms when node 2 crashes; the transport gives up on node 2
    // about 4.5 s later, while the sleeper (5 s of ticks) still runs.
    const run = ["boot", "--nodes", "3", "--fabric", "ethernet", "--run", sleeperPath];
    const tracePath = join(scratch, "precopy-crash.jsonl");
    const [still, crashed] = await Promise.all([
      sterna([...run, "--starter", "none"]),
      sterna([
        ...run,
        ...["--strategy", "precopy", "--migrate", "20ms:0.1:2", "--crash", "25ms:2"],
        ...["--trace", tracePath],
      ]),
    ]);
    expect(still.status).toBe(0);
    expect(crashed.stdout).toBe(still.stdout);
    expect(crashed.status).toBe(0);
    expect(crashed.stderr).toContain("migrations: 0 committed, 0 cancelled, 1 failed\n");
    expect(crashed.stderr).toMatch(/^ {2}0\.1 +0 +0 /m);
    const trace = readTraceFile(tracePath);
    expect(trace.some((record) => record.event === "stop" && record.state === "frozen")).toBe(
      false,
    );
    expect(trace.find((record) => record.event === "migrate-end")).toMatchObject({
      outcome: "failed",
      why: "destination failed",
      freezeNs: 0,
      rounds: 1,
    });
  }, 120_000);

  it("pre-copy: the destination crashes during the rounds and the process ends before it is detected: failed", async () => {
    // relay ends at about 95 ms, long before the transport gives up on node 2 (about 4.5 s):
    // the migration stays open past the process's end until then, and counts failed, not
    // cancelled as it did when the process's end ended it.
    const run = ["boot", "--nodes", "4", "--fabric", "ethernet", "--run", `${relayFixturePath} 1`];
    const [still, crashed] = await Promise.all([
      sterna([...run, "--starter", "none"]),
      sterna([...run, "--strategy", "precopy", "--migrate", "20ms:0.1:2", "--crash", "25ms:2"]),
    ]);
    expect(crashed.stdout).toBe(still.stdout);
    expect(crashed.status).toBe(still.status);
    expect(crashed.stderr).toContain("migrations: 0 committed, 0 cancelled, 1 failed\n");
    expect(crashed.stderr).toMatch(/^migration 0\.1 n0 -> n2 failed \(destination failed\)/m);
  }, 120_000);

  it("copy-on-reference: a source crashing before the pages are fetched ends the process (137)", async () => {
    const run = ["boot", "--nodes", "4", "--fabric", "ethernet"];
    const crashed = await sterna([
      ...run,
      ...["--run", `${relayFixturePath} 1`, "--strategy", "cor"],
      ...["--migrate", "20ms:0.1:2", "--crash", "25ms:0", "--until", "20s"],
    ]);
    expect(crashed.stderr).toMatch(
      /^sterna: node 2: process 0\.1 \(relay\.asm\) lost: \d+ of its pages were still at node 0 \(copy-on-reference\), and node 0 failed$/m,
    );
    expect(crashed.stderr).toMatch(/^ {2}0\.1 +2 137 /m);
  }, 120_000);

  it("refuses an unknown strategy with one line and status 2", async () => {
    const outcome = await sterna(["boot", "--strategy", "teleport", "--run", sleeperPath]);
    expect(outcome.status).toBe(2);
    expect(outcome.stderr.trim().split("\n")).toHaveLength(1);
    expect(outcome.stderr).toContain("--strategy");
    expect(outcome.stderr).toContain("direct, precopy, cor");
  });
});
