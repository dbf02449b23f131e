// The migration protocol between kernels (docs/migration.md) with the built-in acceptor:
// a process that exchanges a message with a partner on another node every round, moved twice
// while its partner moves once (by pid and by program name), prints what it prints without
// moving and ends with the same status, on the token ring and on Ethernet; the summary counts
// 3 committed. A deny (no room at the destination) or a silent destination (partitioned off)
// before the commit point leave the process running where it was, counted as cancelled or
// failed; a bad target is reported and counted as cancelled. The trace is the same for 1 and
// 2 worker threads, and each process runs on one node at a time.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ScriptedMigration } from "../../../kernel/migrate/scripted-orders.ts";
import { bootClusterCase, type ClusterBootCase } from "../../support/cluster-boot.ts";

const relay = readFileSync(join(import.meta.dirname, "fixtures", "relay.asm"), "utf8");

function relayCase(fabric: string, migrations: ScriptedMigration[] = []): ClusterBootCase {
  return {
    nodes: 4,
    fabric,
    sources: { "relay.asm": relay },
    runs: [{ path: "relay.asm", node: 0, argumentText: "1" }],
    migrations,
  };
}

/** The relay (0.1) to node 2, its partner (1.1) to node 3, then the relay by name to node 1. */
const threeMoves: ScriptedMigration[] = [
  { atNs: 3_000_000, target: "0.1", toNode: 2 },
  { atNs: 9_000_000, target: "1.1", toNode: 3 },
  { atNs: 15_000_000, target: "relay.asm", toNode: 1 },
];

function events(trace: string[], event: string): Record<string, unknown>[] {
  return trace.map((line) => JSON.parse(line)).filter((record) => record.event === event);
}

/** The nodes a pid ran on, in order, each once: a process never runs back where it left. */
function runNodes(trace: string[], pid: string): number[] {
  const nodes: number[] = [];
  for (const record of events(trace, "run")) {
    if (record.pid === pid && nodes.at(-1) !== record.node) nodes.push(record.node as number);
  }
  return nodes;
}

describe("migration between kernels (built-in acceptor)", () => {
  it.each(["token-ring:80", "ethernet"])(
    "moves a process twice while its partner moves once, output unchanged (%s)",
    async (fabric) => {
      const still = await bootClusterCase(relayCase(fabric));
      expect(still.stdout.split("\n")).toHaveLength(9);
      expect(still.result.processes.map((p) => p.status)).toEqual([7, 7]);
      const moved = await bootClusterCase(relayCase(fabric, threeMoves));
      expect(moved.stdout).toBe(still.stdout);
      expect(moved.stderr).toBe(still.stderr);
      expect(moved.result.exitStatus).toBe(still.result.exitStatus);
      expect(moved.result.processes.map((p) => [p.pid, p.status, p.node])).toEqual([
        [1, 7, 1],
        [0x100001, 7, 3],
      ]);
      expect(moved.result.migrations).toEqual({ committed: 3, cancelled: 0, failed: 0 });
      expect(events(moved.trace, "migrate-start")).toHaveLength(3);
      expect(events(moved.trace, "migrate-commit")).toHaveLength(3);
      const ends = events(moved.trace, "migrate-end");
      expect(ends.map((end) => end.outcome)).toEqual(["committed", "committed", "committed"]);
      for (const end of ends) {
        expect(end.bytes as number).toBeGreaterThan(4096);
        expect(end.freezeNs as number).toBeGreaterThan(0);
        expect(end.totalNs as number).toBeGreaterThanOrEqual(end.freezeNs as number);
      }
      expect(runNodes(moved.trace, "0.1")).toEqual([0, 2, 1]);
      expect(runNodes(moved.trace, "1.1")).toEqual([1, 3]);
    },
    120_000,
  );

  it("gives the same trace with 1 and 2 worker threads", async () => {
    const one = await bootClusterCase({ ...relayCase("token-ring:80", threeMoves), workers: 1 });
    const two = await bootClusterCase({ ...relayCase("token-ring:80", threeMoves), workers: 2 });
    expect(two.result.traceHash).toBe(one.result.traceHash);
    expect(two.stdout).toBe(one.stdout);
    expect(two.result.migrations).toEqual({ committed: 3, cancelled: 0, failed: 0 });
  }, 120_000);

  it("reports and counts bad targets as cancelled, and the run goes on unchanged", async () => {
    const still = await bootClusterCase(relayCase("token-ring:80"));
    const run = await bootClusterCase(
      relayCase("token-ring:80", [
        { atNs: 2_000_000, target: "3.7", toNode: 2 },
        { atNs: 2_000_000, target: "nosuch", toNode: 2 },
        { atNs: 4_000_000, target: "1.1", toNode: 1 },
        { atNs: 5_000_000, target: "0.1", toNode: 0 },
      ]),
    );
    expect(run.stdout).toBe(still.stdout);
    expect(run.result.migrations).toEqual({ committed: 0, cancelled: 4, failed: 0 });
    expect(run.reports.sort()).toEqual([
      "node 0: --migrate 0.1: already on node 0; counted as cancelled",
      "node 0: --migrate nosuch: no live process of that name; counted as cancelled",
      "node 1: --migrate 1.1: already on node 1; counted as cancelled",
      "node 3: --migrate 3.7: no such live process; counted as cancelled",
    ]);
  }, 120_000);

  it("leaves the process running where it was when the destination denies (table full)", async () => {
    const still = await bootClusterCase({ ...relayCase("token-ring:80"), processesMax: 1 });
    const run = await bootClusterCase({
      ...relayCase("token-ring:80", [{ atNs: 3_000_000, target: "0.1", toNode: 1 }]),
      processesMax: 1,
    });
    expect(run.stdout).toBe(still.stdout);
    expect(run.result.migrations).toEqual({ committed: 0, cancelled: 1, failed: 0 });
    expect(events(run.trace, "migrate-commit")).toHaveLength(0);
    expect(events(run.trace, "migrate-end")[0]).toMatchObject({ outcome: "cancelled" });
    expect(run.trace.some((line) => line.includes('"state":"frozen"'))).toBe(false);
    expect(runNodes(run.trace, "0.1")).toEqual([0]);
  }, 120_000);

  it("promises a node's last process slot to one arrival only: the other is denied at once", async () => {
    // With one slot per node, the relay and its partner are both ordered to empty node 2 at
    // the same instant: one moves, the other is denied before the commit point (both used to
    // be accepted, and the second install was refused after it).
    const still = await bootClusterCase({ ...relayCase("token-ring:80"), processesMax: 1 });
    const run = await bootClusterCase({
      ...relayCase("token-ring:80", [
        { atNs: 3_000_000, target: "0.1", toNode: 2 },
        { atNs: 3_000_000, target: "1.1", toNode: 2 },
      ]),
      processesMax: 1,
    });
    expect(run.stdout).toBe(still.stdout);
    expect(run.result.migrations).toEqual({ committed: 1, cancelled: 1, failed: 0 });
    expect(
      events(run.trace, "migrate-end")
        .map((end) => end.why ?? end.outcome)
        .sort(),
    ).toEqual(["committed", "denied (-11)"]);
  }, 120_000);

  it("counts a dead destination failed also when the process ends before it is detected", async () => {
    // Node 2 crashes at 2 ms; the request goes at 3 ms and is never acknowledged. The relay
    // ends at about 95 ms, long before the transport gives up on node 2 (about 4.5 s): the
    // migration stays open past the process's end until then, and counts failed, not
    // cancelled as it did when the process's end ended it.
    const crashed = { ...relayCase("ethernet"), crashes: [{ atNs: 2_000_000, node: 2 }] };
    const still = await bootClusterCase(crashed);
    const run = await bootClusterCase({
      ...crashed,
      migrations: [{ atNs: 3_000_000, target: "0.1", toNode: 2 }],
    });
    expect(run.stdout).toBe(still.stdout);
    expect(run.result.migrations).toEqual({ committed: 0, cancelled: 0, failed: 1 });
    const end = events(run.trace, "migrate-end")[0]!;
    expect(end).toMatchObject({ outcome: "failed", why: "destination failed" });
    const exit = run.trace
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((record) => record.event === "exit" && record.pid === "0.1")!;
    expect(end.t as number).toBeGreaterThan((exit.t as number) + 1_000_000_000);
  }, 120_000);

  it("leaves the process running where it was when the destination is silent", async () => {
    // Node 2 is cut off for longer than the transport takes to declare it failed: the request
    // is never acknowledged, so the source waits for the transport's verdict, then resumes.
    const silent = {
      nodes: 4,
      sources: {
        "sleeper.asm": readFileSync(join(import.meta.dirname, "fixtures", "sleeper.asm"), "utf8"),
      },
      runs: [{ path: "sleeper.asm", node: 0, argumentText: "" }],
      partitions: [{ fromNs: 1_000_000, durationNs: 10_000_000_000, nodes: [2] }],
    };
    const still = await bootClusterCase(silent);
    expect(still.stdout).toBe("tick\n".repeat(50));
    const run = await bootClusterCase({
      ...silent,
      migrations: [{ atNs: 3_000_000, target: "0.1", toNode: 2 }],
    });
    expect(run.stdout).toBe(still.stdout);
    expect(run.result.migrations).toEqual({ committed: 0, cancelled: 0, failed: 1 });
    expect(events(run.trace, "migrate-end")[0]).toMatchObject({
      outcome: "failed",
      why: "destination failed",
    });
    expect(events(run.trace, "migrate-commit")).toHaveLength(0);
    expect(runNodes(run.trace, "0.1")).toEqual([0]);
  }, 120_000);
});

describe("Starters (calls 1008-1011)", () => {
  const fixture = (name: string) =>
    readFileSync(join(import.meta.dirname, "fixtures", name), "utf8");

  it("lets only the Starter at NODE.1 move a process; anyone else gets -EPERM", async () => {
    const still = await bootClusterCase(relayCase("token-ring:80"));
    const run = await bootClusterCase({
      ...relayCase("token-ring:80"),
      sources: {
        "relay.asm": relay,
        "mover.asm": fixture("mover.asm"),
        "not-starter.asm": fixture("not-starter.asm"),
      },
      runs: [
        { path: "relay.asm", node: 0, argumentText: "1" },
        { path: "not-starter.asm", node: 3, argumentText: "" },
      ],
      starter: "mover.asm",
    });
    expect(run.stdout).toBe(still.stdout);
    expect(run.stderr).toBe("starter ok\n");
    expect(run.result.migrations).toEqual({ committed: 1, cancelled: 0, failed: 0 });
    const byPid = new Map(run.result.processes.map((p) => [p.pid, p]));
    expect(byPid.get(2)).toMatchObject({ name: "relay.asm", status: 7, node: 2 });
    expect(byPid.get(0x300002)).toMatchObject({ name: "not-starter.asm", status: 0 });
    expect(byPid.get(1)).toMatchObject({ name: "mover.asm", status: 0 });
  }, 120_000);
});
