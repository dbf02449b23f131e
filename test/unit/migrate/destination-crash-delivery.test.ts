// The check under every delivery method: a process whose partner on another node keeps
// sending while it moves, and whose destination crashes mid-transfer, finishes with the output of
// the run without migration, and the summary says `0 committed, 0 cancelled, 1 failed`.
// 2.1 (the pair's answerer) moves 2 -> 3 at 9 ms; its partner 1.1 sends to it during the freeze
// and node 3 crashes at 11.5 ms, before the install. Before the fixes each method but recover
// left 1.1 blocked until --until (exit 124):
// - prevent: 1.1's node, told "at node 3", sent there; node 3 buffered the send (its transport
//   acknowledged it) and crashed. Nothing was unacknowledged towards node 3, so 1.1's node never
//   noticed. Now a node probes the nodes its requests wait on (with --crash), notices the failure
//   and sends again through the home (node 2), where 2.1 has resumed.
// - redirect: node 2 passed the send on to node 3 behind the state, then resumed 2.1 when node 3
//   failed; the send was gone and 1.1 waited on a live node 2. Now the source keeps what it
//   passed on until the destination confirms, and handles it again when the process resumes.
// Every receive takes its pair's next number (exactly once, in order); one worker thread or two
// give the same trace.
// Replay: npx sterna boot --nodes 4 --seed 7 --workers 1 --run
//   'test/property/fixtures/crash-pairs.asm 1 10 2000' --until 60s --migrate 9ms:2.1:3
//   --crash 11500us:3 --delivery redirect

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { crashPairsRun } from "../../support/crash-pairs-run.ts";
import {
  checkOneRunningCopy,
  checkPairOrder,
  readTraceFile,
  traceHashOf,
} from "../../support/migration-trace.ts";
import { sterna } from "../../support/run-cli.ts";

const scratch = mkdtempSync(join(tmpdir(), "sterna-destination-crash-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const pairsRun = crashPairsRun();
const movedAndCrashed = ["--migrate", "9ms:2.1:3", "--crash", "11500us:3"];

let stillStdout: Promise<string> | undefined;
function stillRun(): Promise<string> {
  stillStdout ??= sterna([...pairsRun, "--workers", "1"]).then((still) => {
    expect(still.status).toBe(0);
    return still.stdout;
  });
  return stillStdout;
}

describe("a destination crashing mid-transfer while the partner sends", () => {
  for (const delivery of ["prevent", "redirect", "recover"]) {
    it(`${delivery}: output as without migration, the migration failed, nothing lost`, async () => {
      const tracePath = join(scratch, `${delivery}.jsonl`);
      const crashed = [...pairsRun, ...movedAndCrashed, "--delivery", delivery];
      const [still, oneThread, twoThreads] = await Promise.all([
        stillRun(),
        sterna([...crashed, "--workers", "1", "--trace", tracePath]),
        sterna([...crashed, "--workers", "2"]),
      ]);
      expect(oneThread.status, oneThread.stderr).toBe(0);
      expect(oneThread.stdout).toBe(still);
      expect(oneThread.stderr).toContain("migrations: 0 committed, 0 cancelled, 1 failed\n");
      expect(oneThread.stderr).toContain("node 3: crashed (--crash): 0 process(es) lost");
      expect(traceHashOf(twoThreads.stderr)).toBe(traceHashOf(oneThread.stderr));
      const trace = readTraceFile(tracePath);
      checkOneRunningCopy(trace);
      // 10 rounds of the pair: each child receives its introduction and 10 messages.
      expect(checkPairOrder(trace)).toBe(22);
    }, 180_000);
  }
});
