// Migration invariants 1-5 of DESIGN.md §7 at every step of the protocol. Pairs of processes on
// different nodes talk every round and sleep between rounds (fixtures/pair-chatter.asm); random
// --migrate schedules move them: chains A -> B -> C -> A, both ends of a pair at once, any
// process anywhere. The migration probe (kernel/migrate/migration-probe.ts) calls migrations
// off at chosen steps, before the commit point (as the request leaves, as the accept arrives)
// and after it (where the cancel must be refused), refuses chosen installs at the destination,
// and traces digests of the process image at each step. For every case:
// 1. stdout and exit status equal the run without migrations;
// 2. every message is received once, in per-pair order (the trace's receives);
// 3. each process runs on one node at a time (the trace's run/stop/exit);
// 4. a migration called off or refused leaves the process bit for bit as it was: its image
//    (pages, registers, mailbox, pair tables) equals the one at the request when it neither
//    ran nor got a message meanwhile, and the one sent when it failed after the freeze;
// 5. the destination installs the image the source froze;
// and a cancel before the commit point ends the migration as cancelled, one after it is refused
// and the migration goes on. A failure prints the seed, the shrunk case (fast-check's
// counterexample: shape, schedule, probe) and the one command that replays it.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type CancelStep,
  cancelStepsAfterCommit,
  cancelStepsBeforeCommit,
  type MigrationProbe,
} from "../../kernel/migrate/migration-probe.ts";
import type { ScriptedMigration } from "../../kernel/migrate/scripted-orders.ts";
import { bootClusterCase, type ClusterBootRun } from "../support/cluster-boot.ts";
import {
  checkImagesKept,
  checkOneRunningCopy,
  checkPairOrder,
  type ImageChecks,
  migrationsOf,
  parseTrace,
  type TraceRecord,
} from "../support/migration-trace.ts";
import { childPids } from "../support/pair-children.ts";
import { checkAsyncProperty } from "../support/seeded-property.ts";

const testFile = "test/property/migration-steps.property.test.ts";
const chatter = "pair-chatter.asm";
const chatterSource = readFileSync(join(import.meta.dirname, "fixtures", chatter), "utf8");
const fabrics = ["token-ring:80", "ethernet", "switched:100"];
const allSteps: readonly CancelStep[] = [...cancelStepsBeforeCommit, ...cancelStepsAfterCommit];

interface Shape {
  seed: number;
  nodes: number;
  fabric: string;
  loss: number;
  pairs: number;
  rounds: number;
  sleepUs: number;
  /** Process tables just big enough for the placement: moves into a full node are denied. */
  tightTables: boolean;
}

/** The most processes the placement puts on one node. */
function processesPerNodeMax(shape: Shape): number {
  const perNode = new Map([[0, 1]]);
  for (const child of childPids(shape)) perNode.set(child.node, (perNode.get(child.node) ?? 0) + 1);
  return Math.max(...perNode.values());
}

/** Orders within the run's talking time, in episodes: a chain, a pair at once, or one move. */
function scheduleOf(shape: Shape): fc.Arbitrary<ScriptedMigration[]> {
  const children = childPids(shape);
  // The parent spawns its children one at a time, each image fetched over the fabric (about
  // 1.4 ms on the ring and the switch, 7 ms on the 10 Mbit/s Ethernet, without loss); then
  // they talk.
  const spawnNs = shape.fabric === "ethernet" ? 7_200_000 : 1_400_000;
  const talkFromNs = spawnNs * children.length + 2_000_000;
  const talkNs = shape.rounds * shape.sleepUs * 1000;
  const atNs = fc.integer({ min: talkFromNs, max: talkFromNs + talkNs });
  const node = fc.integer({ min: 0, max: shape.nodes - 1 });
  const gapNs = fc.integer({ min: 0, max: 3_000_000 });
  const chain = fc
    .record({ child: fc.constantFrom(...children), atNs, gaps: fc.tuple(gapNs, gapNs) })
    .map(({ child, atNs, gaps: [first, second] }) => {
      // A -> B -> C -> A with B and C different nodes, neither A (3 nodes at least).
      const b = (child.node + 1) % shape.nodes;
      const c = (child.node + 2) % shape.nodes;
      return [
        { atNs, target: child.pid, toNode: b },
        { atNs: atNs + first, target: child.pid, toNode: c },
        { atNs: atNs + first + second, target: child.pid, toNode: child.node },
      ];
    });
  const pairAtOnce = fc
    .record({ pair: fc.integer({ min: 0, max: shape.pairs - 1 }), atNs, to: fc.tuple(node, node) })
    .map(({ pair, atNs, to }) => [
      { atNs, target: children[2 * pair]!.pid, toNode: to[0] },
      { atNs, target: children[2 * pair + 1]!.pid, toNode: to[1] },
    ]);
  const single = fc
    .record({ target: fc.constantFrom("0.1", ...children.map((c) => c.pid)), atNs, toNode: node })
    .map((order) => [order]);
  return fc
    .array(fc.oneof(chain, pairAtOnce, single), { minLength: 1, maxLength: 3 })
    .map((episodes) => episodes.flat());
}

const shapeArbitrary: fc.Arbitrary<Shape> = fc
  .record({
    seed: fc.integer({ min: 0, max: 0xffff }),
    nodes: fc.integer({ min: 3, max: 5 }),
    fabric: fc.constantFrom(...fabrics),
    loss: fc.constantFrom(0, 0, 0, 0.02),
    pairs: fc.integer({ min: 1, max: 3 }),
    rounds: fc.integer({ min: 6, max: 14 }),
    sleepUs: fc.integer({ min: 1000, max: 3000 }),
    tightTables: fc.boolean(),
  })
  // A move may take the last slot a spawn still needs, and then the run differs for a good
  // reason: tight tables only without loss, where the spawns surely end before the moves begin.
  .map((shape) => ({ ...shape, tightTables: shape.tightTables && shape.loss === 0 }));

function probeArbitrary(shape: Shape): fc.Arbitrary<MigrationProbe> {
  return fc.record({
    cancelSteps: fc.array(fc.constantFrom<CancelStep | "none">("none", ...allSteps), {
      maxLength: 4,
    }),
    refuseInstallOf: fc.subarray(
      childPids(shape).map((child) => child.pid),
      { maxLength: 1 },
    ),
    imageDigests: fc.constant(true),
  });
}

const stillRuns = new Map<string, Promise<ClusterBootRun>>();

function chatterRun(
  shape: Shape,
  migrations: ScriptedMigration[] = [],
  probe?: MigrationProbe,
): Promise<ClusterBootRun> {
  return bootClusterCase({
    nodes: shape.nodes,
    fabric: shape.fabric,
    seed: shape.seed,
    loss: shape.loss,
    sources: { [chatter]: chatterSource },
    runs: [
      {
        path: chatter,
        node: 0,
        argumentText: `${shape.pairs} ${shape.rounds} ${shape.sleepUs}`,
      },
    ],
    migrations,
    migrationProbe: probe,
    processesMax: shape.tightTables ? processesPerNodeMax(shape) : undefined,
  });
}

/** The run without migrations, once per shape (fast-check's shrinking revisits shapes). */
function stillRun(shape: Shape): Promise<ClusterBootRun> {
  const key = JSON.stringify(shape);
  let run = stillRuns.get(key);
  if (!run) {
    run = chatterRun(shape);
    stillRuns.set(key, run);
  }
  return run;
}

/** A cancel before the commit point ends the migration cancelled; one after it is refused. */
function checkCancels(trace: TraceRecord[], probe: MigrationProbe): void {
  const cancels = trace.filter((record) => record.event === "migrate-cancel");
  for (const migration of migrationsOf(trace)) {
    const step = probe.cancelSteps?.[migration.id - 1] ?? "none";
    const label = `${migration.pid} from node ${migration.fromNode}, request ${migration.id}`;
    const cancel = cancels.find(
      (record) => record.node === migration.fromNode && record.id === migration.id,
    );
    if (step === "none") {
      expect(cancel, label).toBeUndefined();
      continue;
    }
    if (cancelStepsBeforeCommit.includes(step)) {
      if (step === "request") expect(cancel, `${label}: no cancel at the request`).toBeDefined();
      expect(migration.committedAtNs, `${label}: committed despite a cancel at ${step}`).toBe(
        undefined,
      );
      if (cancel) {
        expect(cancel.refused, label).toBe(false);
        expect(migration.end?.outcome, label).toBe("cancelled");
      }
      continue;
    }
    if (migration.committedAtNs !== undefined && step === "commit") {
      expect(cancel, `${label}: no cancel at the commit`).toBeDefined();
    }
    if (migration.end?.outcome === "committed") {
      expect(cancel, `${label}: committed, no cancel at ${step}`).toBeDefined();
    }
    if (cancel) {
      expect(cancel.refused, `${label}: a cancel at ${step} was not refused`).toBe(true);
      expect(migration.committedAtNs, label).toBeDefined();
    }
  }
}

/** Invariants 1-5 and the cancels' outcomes for one case; returns the image comparisons. */
async function checkCase(
  shape: Shape,
  migrations: ScriptedMigration[],
  probe: MigrationProbe,
): Promise<{ checks: ImageChecks; run: ClusterBootRun }> {
  const still = await stillRun(shape);
  expect(still.result.exitStatus, "the run without migrations failed").toBe(0);
  const moved = await chatterRun(shape, migrations, probe);
  expect(moved.result.outcome).toBe("exited");
  expect(moved.stdout).toBe(still.stdout);
  expect(moved.result.exitStatus).toBe(still.result.exitStatus);
  const trace = parseTrace(moved.trace);
  expect(checkPairOrder(trace)).toBe(checkPairOrder(parseTrace(still.trace)));
  checkOneRunningCopy(trace);
  checkCancels(trace, probe);
  const ends = trace.filter((record) => record.event === "migrate-end");
  const counts = moved.result.migrations;
  expect(counts.committed + counts.cancelled + counts.failed).toBe(ends.length);
  if (shape.loss === 0) {
    // Without loss only a refused install fails a migration.
    for (const end of ends.filter((record) => record.outcome === "failed")) {
      expect(end.why, JSON.stringify(end)).toMatch(/^not installed/);
      expect(probe.refuseInstallOf).toContain(end.pid);
    }
  }
  return { checks: checkImagesKept(trace), run: moved };
}

describe("migration invariants at every protocol step", () => {
  it("keeps output, messages, one copy and the image under cancels, refusals, chains and pairs", async () => {
    const totals: ImageChecks = { untouched: 0, resumed: 0, installed: 0 };
    await checkAsyncProperty(
      fc.asyncProperty(
        shapeArbitrary.chain((shape) =>
          fc.record({
            shape: fc.constant(shape),
            migrations: scheduleOf(shape),
            probe: probeArbitrary(shape),
          }),
        ),
        async ({ shape, migrations, probe }) => {
          const { checks } = await checkCase(shape, migrations, probe);
          totals.untouched += checks.untouched;
          totals.resumed += checks.resumed;
          totals.installed += checks.installed;
        },
      ),
      testFile,
      14,
    );
    // Across the cases both kinds of image comparison were made (8-20 and 19-28 of them in
    // four seeds' runs): the property is not vacuous.
    expect(totals.untouched).toBeGreaterThan(0);
    expect(totals.installed).toBeGreaterThan(0);
  }, 600_000);

  // Every step, and a refused install, on one fixed case: 1.1 (a pair's starter, asleep at 9 ms
  // until 10.2 ms) to node 3.
  const fixed: Shape = {
    seed: 7,
    nodes: 4,
    fabric: "token-ring:80",
    loss: 0,
    pairs: 1,
    rounds: 10,
    sleepUs: 2000,
    tightTables: false,
  };
  const move: ScriptedMigration[] = [{ atNs: 9_000_000, target: "1.1", toNode: 3 }];
  it.each(allSteps)(
    "calls a migration off at %s: cancelled before the commit point, refused after",
    async (step) => {
      const { checks, run } = await checkCase(fixed, move, {
        cancelSteps: [step],
        imageDigests: true,
      });
      const before = cancelStepsBeforeCommit.includes(step);
      expect(run.result.migrations).toEqual({
        committed: before ? 0 : 1,
        cancelled: before ? 1 : 0,
        failed: 0,
      });
      // Called off as the request leaves or as the accept arrives, 1.1 sleeps between rounds.
      expect(checks.untouched).toBe(before ? 1 : 0);
      expect(checks.installed).toBe(before ? 0 : 1);
    },
    120_000,
  );

  // Seed 849058526's shrunk case, whole (the orders for 1.1 queue behind one another): 2.1
  // leaves node 2, whose table holds one process, and 1.1 asks for node 2 while 2.1's state
  // travels; 2.1's install is refused and it comes back. Its slot was held meanwhile, so 1.1
  // is denied at the request (cancelled), never failed at the install.
  it("keeps a departing process's slot: an arrival meanwhile is denied, not failed", async () => {
    const tight: Shape = { ...fixed, seed: 11, fabric: "ethernet", rounds: 12, sleepUs: 1003 };
    const { run } = await checkCase(
      { ...tight, tightTables: true },
      [
        { atNs: 20_724_491, target: "1.1", toNode: 2 },
        { atNs: 20_724_491, target: "1.1", toNode: 3 },
        { atNs: 20_724_491, target: "1.1", toNode: 1 },
        { atNs: 20_125_591, target: "1.1", toNode: 1 },
        { atNs: 20_125_591, target: "2.1", toNode: 3 },
      ],
      { refuseInstallOf: ["2.1"], imageDigests: true },
    );
    expect(run.result.migrations).toEqual({ committed: 2, cancelled: 2, failed: 1 });
    expect(run.reports).not.toContain("node 2: migration of 1.1 refused here: process table full");
  }, 120_000);

  it("resumes a process whose install the destination refuses, as it was sent", async () => {
    const { checks, run } = await checkCase(fixed, move, {
      refuseInstallOf: ["1.1"],
      imageDigests: true,
    });
    expect(run.result.migrations).toEqual({ committed: 0, cancelled: 0, failed: 1 });
    expect(run.reports).toContain(
      "node 3: migration of 1.1 refused here: refused by the test probe",
    );
    expect(checks.resumed).toBe(1);
  }, 120_000);
});
