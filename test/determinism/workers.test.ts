// Determinism across worker threads and host load (DESIGN.md §7.7): the same seed and
// configuration give the same stdout and trace, byte for byte, whether the nodes run in the
// coordinator's thread or spread over 2 or 4 real worker threads, and while other threads of
// the host compete for its cores (which changes how the threads' quanta interleave in time).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { bootClusterCase } from "../support/cluster-boot.ts";

const fixtures = join(import.meta.dirname, "..", "unit", "cluster", "fixtures");

/** Threads that keep the host's cores busy until stopped (each checks its stop word). */
function loadTheHost(threads: number): () => Promise<void> {
  const stop = new Int32Array(new SharedArrayBuffer(4));
  const workers = Array.from(
    { length: threads },
    () =>
      new Worker(
        "const { workerData } = require('node:worker_threads'); let x = 0; while (Atomics.load(workerData, 0) === 0) x++;",
        { eval: true, workerData: stop },
      ),
  );
  return async () => {
    Atomics.store(stop, 0, 1);
    await Promise.all(workers.map((worker) => new Promise((done) => worker.once("exit", done))));
  };
}

describe("worker threads", () => {
  it("give the same stdout and trace for W = 1, 2 and 4 on 8-node Ethernet, and on a loaded host", async () => {
    const boot = (workers: number) =>
      bootClusterCase({
        nodes: 8,
        fabric: "ethernet",
        seed: 42,
        workers,
        sources: {
          "spread.asm": readFileSync(join(fixtures, "spread.asm"), "utf8"),
          "remote-ping.asm": readFileSync(join(fixtures, "remote-ping.asm"), "utf8"),
        },
        runs: [
          { path: "spread.asm", node: 0, argumentText: "" },
          { path: "remote-ping.asm", node: 0, argumentText: "7" },
        ],
      });
    const one = await boot(1);
    expect(one.result.exitStatus).toBe(0);
    for (const workers of [2, 4]) {
      const many = await boot(workers);
      expect(many.stdout).toBe(one.stdout);
      expect(many.result.traceHash).toBe(one.result.traceHash);
      expect(many.trace.length).toBe(one.trace.length);
    }
    const stopLoading = loadTheHost(3);
    try {
      const loaded = await boot(2);
      expect(loaded.stdout).toBe(one.stdout);
      expect(loaded.result.traceHash).toBe(one.result.traceHash);
    } finally {
      await stopLoading();
    }
  });
});
