// Copy-on-reference under load and failure (docs/migration.md, "Memory strategies"), through
// the real CLI with borrower.asm: replies the transport cannot take yet wait at the source
// instead of being lost (two 12 MiB processes fetching their whole heaps at once once queued
// 24 MiB of replies against the transport's 16 MiB and blocked for ever); a process whose
// source crashes ends (137) only when it needs a page still there, and one that never does
// finishes normally; one waiting on a fetch the source took and was answering when it crashed
// ends too (the destination probes the source its fetches wait on); frames for the pages still remote stay held, so a process spawned later
// cannot take them; and a source node that crashed after committing counts the move once.

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { traceHashOf } from "../../support/migration-trace.ts";
import { sterna } from "../../support/run-cli.ts";

const borrowerPath = join(import.meta.dirname, "fixtures", "borrower.asm");
const crashPairsPath = join(
  import.meta.dirname,
  "..",
  "..",
  "property",
  "fixtures",
  "crash-pairs.asm",
);
const ticks = "tick\n".repeat(10);

describe.concurrent("copy-on-reference under load and failure", () => {
  it("replies wait for room at the source: two 12 MiB fetches at once both complete", async () => {
    const moved = await sterna([
      ...["boot", "--nodes", "3", "--run", `${borrowerPath} B`, "--strategy", "cor"],
      ...["--migrate", "150ms:0.1:2", "--migrate", "150ms:0.2:2", "--until", "30s"],
    ]);
    expect(moved.stderr).not.toContain("blocked forever");
    expect(moved.stdout).toBe("sent\nsent\n");
    expect(moved.status).toBe(0);
    expect(moved.stderr).toMatch(/^ {2}0\.1 +2 +0 /m);
    expect(moved.stderr).toMatch(/^ {2}0\.2 +2 +0 /m);
    expect(moved.stderr).toContain("migrations: 2 committed, 0 cancelled, 0 failed\n");
  }, 120_000);

  const crashedSource = (mode: string, workers: string) =>
    sterna([
      ...["boot", "--nodes", "3", "--run", `${borrowerPath} ${mode}`, "--strategy", "cor"],
      ...["--migrate", "20ms:0.1:2", "--crash", "500ms:0", "--until", "20s"],
      ...["--workers", workers],
    ]);

  it("a process that never needs its source again finishes normally after the source crashes", async () => {
    const [twoThreads, oneThread] = await Promise.all([
      crashedSource("q", "2"),
      crashedSource("q", "1"),
    ]);
    expect(twoThreads.stdout).toBe(ticks);
    expect(twoThreads.stderr).not.toMatch(/process 0\.1 .*lost/);
    expect(twoThreads.stderr).toMatch(/^ {2}0\.1 +2 +0 /m);
    expect(twoThreads.stderr).toMatch(/^ {2}0\.2 +0 137 /m);
    // Node 0 committed the move, then crashed and stayed down: one move, counted once.
    expect(twoThreads.stderr).toContain("migrations: 1 committed, 0 cancelled, 0 failed\n");
    expect(traceHashOf(oneThread.stderr)).toBe(traceHashOf(twoThreads.stderr));
  }, 120_000);

  it("a process that needs a page still at its crashed source ends (137), naming it", async () => {
    const crashed = await crashedSource("t", "1");
    expect(crashed.stdout).toBe(ticks);
    expect(crashed.stderr).toMatch(
      /^sterna: node 2: process 0\.1 \(borrower\.asm\) lost: \d+ of its pages were still at node 0 \(copy-on-reference\), and node 0 failed$/m,
    );
    expect(crashed.stderr).toMatch(/^ {2}0\.1 +2 137 /m);
    expect(crashed.stderr).toContain("migrations: 1 committed, 0 cancelled, 0 failed\n");
  }, 120_000);

  it("a process waiting on a fetch whose answer is on its way when the source crashes ends (137)", async () => {
    // The crash property's case: node 1 took 1.1's fetch (acked) and crashed mid-answer; the
    // destination, sending node 1 only acks, waited for the pages forever before it probed.
    const crashed = await sterna([
      ...["boot", "--nodes", "4", "--seed", "65535", "--fabric", "ethernet", "--strategy", "cor"],
      ...["--workers", "1", "--run", `${crashPairsPath} 2 7 1003`, "--migrate", "30.8ms:1.1:2"],
      ...["--crash", "32615066ns:1", "--until", "60s"],
    ]);
    expect(crashed.stderr).not.toContain("blocked forever");
    expect(crashed.stderr).toMatch(
      /^sterna: node 2: process 1\.1 \(crash-pairs\.asm\) lost: \d+ of its pages were still at node 1 \(copy-on-reference\), and node 1 failed$/m,
    );
    expect(crashed.stderr).toMatch(/^ {2}1\.1 +2 137 /m);
  }, 120_000);

  it("frames for the pages still remote stay held: a later spawn cannot take them", async () => {
    // 20 MiB nodes: the 8 MiB heap at node 0, and a grabber spawned at node 2 that takes all
    // the memory brk allows once 0.1 is there; then 0.1 reads its whole heap.
    const moved = await sterna([
      ...["boot", "--nodes", "3", "--memory", "20", "--run", `${borrowerPath} h`],
      ...["--strategy", "cor", "--migrate", "20ms:0.1:2", "--until", "30s"],
    ]);
    expect(moved.stderr).not.toContain("out of memory");
    expect(moved.stdout).toBe("fetched\n");
    expect(moved.stderr).toMatch(/^ {2}0\.1 +2 +0 /m);
    expect(moved.status).toBe(0);
  }, 120_000);
});
