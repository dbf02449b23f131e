// `sterna boot --crash/--restart/--partition` as a user meets them (the real CLI in a child
// process). A parent on node 0 whose child lives on node 2 when node 2 crashes: its wait sees
// 137 with a report naming the node, a send to the lost child answers -ESRCH; a restarted node
// rejoins, and its new pids are of the next epoch. A relay whose destination crashes in the
// middle of the image transfer resumes at the source: output as without the migration, the
// migration counted failed, also when the source is not the process's home. A partition
// shorter than the failure timeout heals with output unchanged. Each run's trace hash is the same with 1 and 2 worker threads. Bad schedules are
// one line naming the option, exit 2.

import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sterna } from "../../support/run-cli.ts";

const lostChildPath = join(import.meta.dirname, "fixtures", "lost-child.asm");
const relayPath = join(import.meta.dirname, "..", "migrate", "fixtures", "relay.asm");

/** The guest's 4-byte little-endian words. */
function words(stdout: string): number[] {
  const bytes = Buffer.from(stdout, "latin1");
  const out: number[] = [];
  for (let offset = 0; offset + 4 <= bytes.length; offset += 4) out.push(bytes.readInt32LE(offset));
  return out;
}

function traceHash(stderr: string): string {
  return /trace-hash: ([0-9a-f]+)/.exec(stderr)?.[1] ?? "missing";
}

/** Runs with --workers 1 and 2; the two must agree on everything they print. */
async function onBothWorkerCounts(args: string[]) {
  const directory = mkdtempSync(join(tmpdir(), "sterna-faults-"));
  const tracePath = join(directory, "trace.jsonl");
  const [one, two] = await Promise.all([
    sterna([...args, "--workers", "1", "--trace", tracePath]),
    sterna([...args, "--workers", "2"]),
  ]);
  expect(two.stdout).toBe(one.stdout);
  expect(two.status).toBe(one.status);
  expect(traceHash(two.stderr)).toBe(traceHash(one.stderr));
  expect(traceHash(one.stderr)).not.toBe("missing");
  const trace = readFileSync(tracePath, "utf8")
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { ...one, trace };
}

describe.concurrent("sterna boot --crash, --restart, --partition", () => {
  it("ends the processes of a crashed node: wait sees 137 with a report, send -ESRCH", async () => {
    const run = await onBothWorkerCounts([
      "boot",
      "--starter",
      "none",
      "--nodes",
      "4",
      "--run",
      lostChildPath,
      "--crash",
      "5ms:2",
    ]);
    // home node 2; wait 137 for that child; send -ESRCH; spawn on the dead node -EAGAIN.
    expect(words(run.stdout)).toEqual([2, 137, 0, -3, -11]);
    expect(run.status).toBe(0);
    expect(run.stderr).toContain("sterna: node 2: crashed (--crash): 1 process(es) lost: 2.1");
    expect(run.stderr).toContain(
      "sterna: node 0: process 2.1 lost with node 2 (it stopped answering: crashed or cut off); its parent 0.1 sees status 137",
    );
    expect(run.stderr).toMatch(/^ {2}2\.1 +2 137 .*\(lost: node 2 crashed\)$/m);
  }, 120_000);

  it("restarts a node empty with the next pid epoch; it rejoins and runs new children", async () => {
    const run = await onBothWorkerCounts([
      "boot",
      "--starter",
      "none",
      "--nodes",
      "4",
      "--run",
      lostChildPath,
      "--crash",
      "5ms:2",
      "--restart",
      "20ms:2",
    ]);
    expect(run.trace).toContainEqual({ t: 5_000_000, node: 2, event: "crash", epoch: 0, lost: 1 });
    expect(run.trace).toContainEqual({ t: 20_000_000, node: 2, event: "restart", epoch: 1 });
    const [home, status, edx, sent, respawned, respawnedStatus] = words(run.stdout);
    expect([home, status, edx, sent]).toEqual([2, 137, 0, -3]);
    // Epoch 1 counts from local id 65536: no pid of the node's first life can come back.
    expect(respawned).toBe((2 << 20) | 0x10000);
    expect(respawnedStatus).toBe(7);
    expect(run.stderr).toMatch(/^ {2}2\.65536 +2 +7 /m);
  }, 120_000);

  it("resumes a migrating process at the source when the destination crashes mid-transfer", async () => {
    // relay 0.1 (on node 0, partner on node 1) is frozen from 3.25 ms and its pages go to node 2
    // until about 9.1 ms (from the trace of the run without the crash): 6 ms is mid-transfer.
    const relayRun = ["boot", "--nodes", "4", "--run", `${relayPath} 1`];
    // Then the same relay moved to node 2, and from there towards node 3, which crashes while
    // receiving it (frozen from 20.5 ms, pages until about 29.7 ms): it resumes on node 2, which
    // is not its home, so its home must hear it is back for the partner's sends to find it.
    const [still, crashed, second] = await Promise.all([
      sterna(relayRun),
      onBothWorkerCounts([...relayRun, "--migrate", "3ms:0.1:2", "--crash", "6ms:2"]),
      sterna([
        ...relayRun,
        ...["--migrate", "3ms:0.1:2", "--migrate", "20ms:0.1:3", "--crash", "24ms:3"],
        ...["--until", "60s"],
      ]),
    ]);
    expect(second.stdout).toBe(still.stdout);
    expect(second.status).toBe(still.status);
    expect(second.stderr).toContain("migrations: 1 committed, 0 cancelled, 1 failed\n");
    expect(second.stderr).toMatch(/^ {2}0\.1 +2 +7 /m);
    expect(still.stdout.split("\n")).toHaveLength(9);
    expect(crashed.stdout).toBe(still.stdout);
    expect(crashed.status).toBe(still.status);
    expect(crashed.stderr).toContain("migrations: 0 committed, 0 cancelled, 1 failed\n");
    expect(crashed.stderr).toMatch(/^ {2}0\.1 +0 +7 /m);
    expect(crashed.stderr).toMatch(/^ {2}1\.1 +1 +7 /m);
    const frozen = crashed.trace.find((line) => line.event === "stop" && line.state === "frozen");
    expect(frozen?.t).toBeLessThan(6_000_000);
    const ends = crashed.trace.filter((line) => line.event === "migrate-end");
    expect(ends).toHaveLength(1);
    expect(ends[0]).toMatchObject({ outcome: "failed", why: "destination failed" });
  }, 180_000);

  it("heals a partition shorter than the failure timeout with output unchanged", async () => {
    const relayRun = ["boot", "--nodes", "4", "--run", `${relayPath} 1`];
    const [still, cut] = await Promise.all([
      sterna(relayRun),
      onBothWorkerCounts([...relayRun, "--partition", "3ms:1,3:50ms"]),
    ]);
    expect(cut.stdout).toBe(still.stdout);
    expect(cut.status).toBe(still.status);
    expect(cut.stderr).not.toContain("lost with node");
    expect(cut.trace).toContainEqual({ t: 3_000_000, node: 1, event: "partition", nodes: "1,3" });
    expect(cut.trace).toContainEqual({ t: 53_000_000, node: 1, event: "heal", nodes: "1,3" });
    expect(cut.trace.some((line) => line.event === "partition-drop")).toBe(true);
  }, 180_000);

  it.each([
    [["--crash", "5ms"], "--crash 5ms: expected TIME:NODE"],
    [["--crash", "5ms:9"], "--crash 5ms:9: node 9 does not exist"],
    [["--crash", "soon:1"], "--crash soon:1"],
    [["--restart", "5ms:1"], "--restart 5ms:1: the node is not crashed then"],
    [["--crash", "5ms:1", "--crash", "9ms:1"], "--crash 9ms:1: the node is already crashed"],
    [["--crash", "5ms:1", "--restart", "5ms:1"], "--restart 5ms:1: the node already crashes"],
  ])("refuses %j with one line naming the option, exit 2", async (args, named) => {
    const outcome = await sterna(["boot", "--nodes", "4", ...args]);
    expect(outcome.status).toBe(2);
    expect(outcome.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(outcome.stderr).toContain(named);
    expect(outcome.stderr).not.toMatch(/^\s+at /m);
  });
});
