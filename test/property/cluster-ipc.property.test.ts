// Exactly-once, per-pair FIFO IPC across the cluster (DESIGN.md §7.2), whatever the fabric,
// the cluster size and the frames it loses, duplicates or corrupts: a ring of processes on
// different nodes, each sending numbered messages to the next, checks every message arrives
// once and in order (the guest exits non-zero otherwise), and the trace's receive events
// agree. Nodes run in one thread so the suite stays fast; the worker test covers threads.
// A failure prints the seed that replays it (test/support/seeded-property.ts).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatPid } from "../../kernel/process/pid.ts";
import { bootClusterCase } from "../support/cluster-boot.ts";
import { checkAsyncProperty } from "../support/seeded-property.ts";

const ringSource = readFileSync(join(import.meta.dirname, "fixtures", "ring-traffic.asm"), "utf8");
const fabrics = ["token-ring:4", "token-ring:80", "ethernet", "switched:100", "switched:1000"];

describe("IPC across the cluster", () => {
  it("delivers every message exactly once, in per-pair order, under loss, duplication and corruption", async () => {
    await checkAsyncProperty(
      fc.asyncProperty(
        fc.record({
          seed: fc.integer({ min: 0, max: 0xffff }),
          nodes: fc.integer({ min: 2, max: 6 }),
          fabric: fc.constantFrom(...fabrics),
          loss: fc.constantFrom(0, 0.02, 0.1),
          dup: fc.constantFrom(0, 0.05),
          corrupt: fc.constantFrom(0, 0.05),
          children: fc.integer({ min: 2, max: 6 }),
          messages: fc.integer({ min: 0, max: 20 }),
        }),
        async (value) => {
          const run = await bootClusterCase({
            nodes: value.nodes,
            fabric: value.fabric,
            seed: value.seed,
            loss: value.loss,
            dup: value.dup,
            corrupt: value.corrupt,
            sources: { "ring-traffic.asm": ringSource },
            runs: [
              {
                path: "ring-traffic.asm",
                node: 0,
                argumentText: `${value.children} ${value.messages}`,
              },
            ],
          });
          expect(run.result.outcome).toBe("exited");
          expect(run.result.exitStatus).toBe(0);
          const parent = formatPid(run.result.runResults[0]!);
          const nextSeq = new Map<string, number>();
          let received = 0;
          for (const line of run.trace) {
            const record = JSON.parse(line) as {
              event: string;
              pid?: string;
              from?: string;
              seq?: number;
            };
            if (record.event !== "receive" || record.from === parent) continue;
            const pair = `${record.from}>${record.pid}`;
            expect(record.seq, pair).toBe(nextSeq.get(pair) ?? 0);
            nextSeq.set(pair, (record.seq ?? 0) + 1);
            received++;
          }
          expect(received).toBe(value.children * value.messages);
        },
      ),
      "test/property/cluster-ipc.property.test.ts",
      10,
    );
  }, 600_000);
});
