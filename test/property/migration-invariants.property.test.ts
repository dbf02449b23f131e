// Migration invariants (DESIGN.md §7) over random cluster sizes, fabrics, frame loss and
// migration schedules (--migrate orders by pid and by name, to random nodes, at random times,
// chains and moves back included): a ring of processes on different nodes, each sending
// numbered messages to the next, still ends with every guest's check passed (1: transparency)
// and the trace's receives show every message once and in per-pair order (2); the trace
// shows each process running on at most one node at any instant (3); every order is accounted
// for as committed, cancelled or failed; one worker thread or two give the same trace (7). A
// failure prints the seed that replays it.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatPid } from "../../kernel/process/pid.ts";
import { bootClusterCase } from "../support/cluster-boot.ts";
import { checkOneRunningCopy, checkPairOrder, parseTrace } from "../support/migration-trace.ts";
import { checkAsyncProperty } from "../support/seeded-property.ts";

const ringSource = readFileSync(join(import.meta.dirname, "fixtures", "ring-traffic.asm"), "utf8");
const fabrics = ["token-ring:80", "ethernet", "switched:100"];

describe("migration invariants", () => {
  it("keeps output, exactly-once per-pair order and one running copy under random migrations", async () => {
    await checkAsyncProperty(
      fc.asyncProperty(
        fc
          .record({
            seed: fc.integer({ min: 0, max: 0xffff }),
            nodes: fc.integer({ min: 3, max: 5 }),
            fabric: fc.constantFrom(...fabrics),
            loss: fc.constantFrom(0, 0, 0.02),
            children: fc.integer({ min: 2, max: 5 }),
            messages: fc.integer({ min: 5, max: 30 }),
          })
          .chain((shape) =>
            fc.record({
              shape: fc.constant(shape),
              moves: fc.array(
                fc.record({
                  atNs: fc.integer({ min: 200_000, max: 15_000_000 }),
                  target: fc.oneof(
                    fc.constantFrom("ring-traffic.asm"),
                    fc
                      .tuple(
                        fc.integer({ min: 0, max: shape.nodes - 1 }),
                        fc.integer({ min: 1, max: 2 }),
                      )
                      .map(([node, local]) => `${node}.${local}`),
                  ),
                  toNode: fc.integer({ min: 0, max: shape.nodes - 1 }),
                }),
                { minLength: 1, maxLength: 6 },
              ),
            }),
          ),
        async ({ shape, moves }) => {
          const boot = (workers: number) =>
            bootClusterCase({
              nodes: shape.nodes,
              fabric: shape.fabric,
              seed: shape.seed,
              loss: shape.loss,
              workers,
              sources: { "ring-traffic.asm": ringSource },
              runs: [
                {
                  path: "ring-traffic.asm",
                  node: 0,
                  argumentText: `${shape.children} ${shape.messages}`,
                },
              ],
              migrations: moves,
            });
          const [run, twoThreads] = await Promise.all([boot(1), boot(2)]);
          // 7: one worker thread or two, the same trace and output.
          expect(twoThreads.result.traceHash).toBe(run.result.traceHash);
          expect(twoThreads.stdout).toBe(run.stdout);
          expect(run.result.outcome).toBe("exited");
          expect(run.result.exitStatus).toBe(0);
          const trace = parseTrace(run.trace);
          const parent = formatPid(run.result.runResults[0]!);
          expect(checkPairOrder(trace, parent)).toBe(shape.children * shape.messages);
          checkOneRunningCopy(trace);
          const counts = run.result.migrations;
          const ended = trace.filter((record) => record.event === "migrate-end").length;
          expect(counts.committed + counts.cancelled + counts.failed).toBe(ended);
          // Orders due after the run ended are never carried out; the others all end.
          expect(ended).toBeLessThanOrEqual(moves.length);
          // Without loss no request can go unanswered; with it, 100 ms without a reply fails.
          if (shape.loss === 0) expect(counts.failed).toBe(0);
        },
      ),
      "test/property/migration-invariants.property.test.ts",
      12,
    );
  }, 600_000);
});
