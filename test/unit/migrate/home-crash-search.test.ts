// A process whose home node crashed lives on elsewhere (it had moved away, or its move had just
// been installed when its source, also its home, crashed): the home's table, the truth about
// where its processes are, is gone. A node that declares the home failed while a send, a kill
// or a receive of its own waits on such a process asks the other live nodes where it is
// (Locate, Located) and goes there; -ESRCH only when no live node holds it (review of issue 10,
// N8 and N7).
// - crash-pairs, 2.1 moves 2 -> 3 (pre-copy); node 2, its source and home, crashes after the
//   install at node 3: under prevent before MigrateDone reached it (the replay of the fresh-clone
//   CI run at 61e0b75), under recover and redirect just after the commit, before anything told
//   node 1. 1.1's send had gone to node 2 (its node knew 2.1 only by its home). Before, under all
//   three: -ESRCH once node 2 was declared failed, 1.1 exited 4 and 2.1 5 though 2.1 lived on.
// - sender-end.asm: the parent on node 0 receives from its child 3.1 alone; 3.1 moves to
//   node 2 and its home, node 3, crashes; the child ends on node 2. Before: the end watch had
//   gone to node 3, and both receives ended ETIMEDOUT at their 20 s timeout.

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { crashPairsProgram } from "../../support/crash-pairs-run.ts";
import { traceHashOf } from "../../support/migration-trace.ts";
import { sterna } from "../../support/run-cli.ts";

const senderEnd = join(import.meta.dirname, "fixtures", "sender-end.asm");

/** The crash-pairs boot of these tests: 5 Ethernet nodes, seed 11, one round of 10 pairs. */
const crashPairsBoot = [
  "boot",
  "--nodes",
  "5",
  "--seed",
  "11",
  "--fabric",
  "ethernet",
  "--run",
  crashPairsProgram("1 10 1003"),
];

/** crash-pairs, one pair, 2.1 moved 2 -> 3, node 2 crashed between the install and MigrateDone. */
function sourceHomeCrash(delivery: string, workers: string): string[] {
  return [
    ...crashPairsBoot,
    "--strategy",
    "precopy",
    "--delivery",
    delivery,
    "--workers",
    workers,
    "--migrate",
    "16400000ns:2.1:3",
    "--crash",
    "89309871ns:2",
    "--until",
    "60s",
  ];
}

describe.concurrent("a process whose home crashed, living on another node", () => {
  it.each([
    ["prevent", "failed \\(source crashed\\)"],
    ["recover", "committed"],
    ["redirect", "committed"],
  ])(
    "is found by a partner's send that waited on the crashed home (%s)",
    async (delivery, outcome) => {
      const [reference, oneThread, twoThreads] = await Promise.all([
        sterna(crashPairsBoot),
        sterna(sourceHomeCrash(delivery, "1")),
        sterna(sourceHomeCrash(delivery, "2")),
      ]);
      expect(reference.status).toBe(0);
      expect(oneThread.stderr).toMatch(new RegExp(`^migration 2\\.1 n2 -> n3 ${outcome}`, "m"));
      expect(oneThread.stderr).toMatch(
        /process 2\.1 found on node 3 after its home, node 2, failed/,
      );
      expect(oneThread.stderr).toMatch(/^ {2}1\.1 +1 +0 /m);
      expect(oneThread.stderr).toMatch(/^ {2}2\.1 +3 +0 /m);
      expect(oneThread.stdout).toBe(reference.stdout);
      expect(oneThread.status).toBe(0);
      expect(traceHashOf(twoThreads.stderr)).toBe(traceHashOf(oneThread.stderr));
    },
    120_000,
  );

  it.each([["s"], ["l"]])(
    "ends a receive from it with -ESRCH when it ends elsewhere (child sleeps %s)",
    async (length) => {
      const run = [
        "boot",
        "--fabric",
        "ethernet",
        "--starter",
        "none",
        "--run",
        `${senderEnd} ${length}`,
        "--migrate",
        "30ms:3.1:2",
        "--crash",
        "50ms:3",
        "--until",
        "60s",
      ];
      const [oneThread, twoThreads] = await Promise.all([
        sterna([...run, "--workers", "1"]),
        sterna([...run, "--workers", "2"]),
      ]);
      expect(oneThread.stdout).toBe("first:  ESRCH\nsecond: ESRCH\n");
      expect(oneThread.status).toBe(0);
      // The short child ended before node 0 declared node 3 failed (~4.96 s): no node holds it.
      // The long one (8 s) was found on node 2, which told node 0 of its end.
      const virtualMs = Number(/virtual time ([\d.]+) ms/.exec(oneThread.stderr)?.[1]);
      if (length === "s") {
        expect(oneThread.stderr).not.toMatch(/found on node/);
        expect(virtualMs).toBeLessThan(6000);
      } else {
        expect(oneThread.stderr).toMatch(/process 3\.1 found on node 2 after its home, node 3/);
        expect(virtualMs).toBeLessThan(8100);
      }
      expect(traceHashOf(twoThreads.stderr)).toBe(traceHashOf(oneThread.stderr));
    },
    120_000,
  );
});
