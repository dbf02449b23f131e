// A receive waiting for a message from one process alone answers -ESRCH when that process ends
// without sending, as on one node (docs/kernel.md §5), also when the process lives on another
// node, moved there or not, and when the receiver itself moves while it waits (review of issue
// 10, item 3 of the brief). sender-end.asm spawns a child on the last node that sleeps 100 ms
// and exits; it receives from the child (timeout 20 s) and prints what the receive returned, then
// receives from the ended child again. On one node both lines say ESRCH; before the receiver's
// node asked the child's home to hear of its end (EndWatch, ProcessEnded), the cluster printed
// ETIMEDOUT for both.

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { traceHashOf } from "../../support/migration-trace.ts";
import { sterna } from "../../support/run-cli.ts";

const program = join(import.meta.dirname, "fixtures", "sender-end.asm");
const expected = "first:  ESRCH\nsecond: ESRCH\n";

describe.concurrent("a receive from a process that ends on another node", () => {
  it("answers -ESRCH on one node (the reference)", async () => {
    const alone = await sterna(["boot", "--nodes", "1", "--run", program, "--starter", "none"]);
    expect(alone.stdout).toBe(expected);
    expect(alone.status).toBe(0);
  }, 60_000);

  it.each([
    ["no move", []],
    ["the sender moved (prevent)", ["--migrate", "30ms:3.1:2"]],
    ["the sender moved (redirect)", ["--migrate", "30ms:3.1:2", "--delivery", "redirect"]],
    ["the sender moved (recover)", ["--migrate", "30ms:3.1:2", "--delivery", "recover"]],
    ["the receiver moved while it waited", ["--migrate", "30ms:0.1:2"]],
    ["both moved", ["--migrate", "30ms:0.1:2", "--migrate", "50ms:3.1:1"]],
    ["the sender moved to the receiver's node", ["--migrate", "30ms:3.1:0"]],
  ])(
    "answers -ESRCH as on one node, soon after the end: %s",
    async (_name, moves) => {
      const run = ["boot", "--fabric", "ethernet", "--run", program, "--starter", "none", ...moves];
      const [twoThreads, oneThread] = await Promise.all([
        sterna([...run, "--workers", "2"]),
        sterna([...run, "--workers", "1"]),
      ]);
      expect(twoThreads.stdout).toBe(expected);
      expect(twoThreads.status).toBe(0);
      expect(twoThreads.stderr).not.toMatch(/ [1-9]\d* failed/);
      // Over long before either receive's 20 s timeout: the child ends at 100 ms.
      const virtualMs = Number(/virtual time ([\d.]+) ms/.exec(twoThreads.stderr)?.[1]);
      expect(virtualMs).toBeLessThan(150);
      expect(traceHashOf(oneThread.stderr)).toBe(traceHashOf(twoThreads.stderr));
    },
    60_000,
  );
});
