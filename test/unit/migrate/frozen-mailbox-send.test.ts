// A sender on the source node whose receiver is frozen by its migration (issue 10 review, item
// 8): test/unit/migrate/fixtures/flood.asm sends its child on the same node a message every
// 100 us without waiting; the child keeps up, so without a move its mailbox never fills. Moving
// the child (2 MiB, so the source spends about 100 ms queuing its pages while it is frozen)
// filled its mailbox, the 65th send answered -EAGAIN and the parent exited 4 (the child then
// waited for ever: exit 124), under every delivery method. Now that send blocks until the
// migration ends and then runs again, towards the destination: the output is the run's without
// migration, both exit 0, one worker or two give the same trace.
// Replay: npx sterna boot --nodes 2 --seed 3 --workers 1 --starter none --run
//   test/unit/migrate/fixtures/flood.asm --until 10s --migrate 30ms:0.2:1 --delivery redirect

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { traceHashOf } from "../../support/migration-trace.ts";
import { sterna } from "../../support/run-cli.ts";

const floodPath = join(import.meta.dirname, "fixtures", "flood.asm");
const still = [
  "boot",
  "--nodes",
  "2",
  "--seed",
  "3",
  "--starter",
  "none",
  "--run",
  floodPath,
  "--until",
  "10s",
];

describe("a local send to a receiver frozen by its migration", () => {
  for (const delivery of ["prevent", "redirect", "recover"]) {
    it(`${delivery}: waits for the move instead of -EAGAIN`, async () => {
      const moved = [...still, "--migrate", "30ms:0.2:1", "--delivery", delivery];
      const [alone, oneThread, twoThreads] = await Promise.all([
        sterna([...still, "--workers", "1"]),
        sterna([...moved, "--workers", "1"]),
        sterna([...moved, "--workers", "2"]),
      ]);
      expect(alone.status, alone.stderr).toBe(0);
      expect(alone.stdout).toBe("flood: 1000 messages, in order\n");
      expect(oneThread.status, oneThread.stderr).toBe(0);
      expect(oneThread.stdout).toBe(alone.stdout);
      expect(oneThread.stderr).toContain("migrations: 1 committed, 0 cancelled, 0 failed\n");
      expect(oneThread.stderr).toMatch(/^ {2}0\.1 +0 +0 /m);
      expect(oneThread.stderr).toMatch(/^ {2}0\.2 +1 +0 /m);
      expect(traceHashOf(twoThreads.stderr)).toBe(traceHashOf(oneThread.stderr));
    }, 180_000);
  }
});
