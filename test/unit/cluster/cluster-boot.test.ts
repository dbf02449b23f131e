// The cluster as a user meets it: guests written against ABI v1 spawn, message, wait for and
// kill processes on other nodes of every fabric, with the same results and errors as on one
// node; spawn on any node spreads a burst; and a run replays bit for bit from its seed.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bootClusterCase } from "../../support/cluster-boot.ts";

const fixtures = join(import.meta.dirname, "fixtures");
const source = (name: string) => readFileSync(join(fixtures, name), "utf8");

function words(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const values: number[] = [];
  for (let offset = 0; offset + 4 <= bytes.length; offset += 4)
    values.push(view.getInt32(offset, true));
  return values;
}

const pingCases: [string, number, number][] = [
  ["token-ring:80", 4, 3],
  ["ethernet", 3, 2],
  ["switched:100", 3, 2],
];

describe("a cluster of kernels", () => {
  it.each(pingCases)(
    "ping-pong with a child on another node (%s, %i nodes, child on node %i)",
    async (fabric, nodes, childNode) => {
      const run = await bootClusterCase({
        nodes,
        fabric,
        sources: { "remote-ping.asm": source("remote-ping.asm") },
        runs: [{ path: "remote-ping.asm", node: 0, argumentText: String(childNode) }],
      });
      const expected = [1, 2, 3, 4, 5]
        .map((round) => `ping ${round} pong on ${childNode}\n`)
        .join("");
      expect(run.stdout).toBe(`${expected}remote ping-pong done\n`);
      expect(run.result.outcome).toBe("exited");
      expect(run.result.exitStatus).toBe(0);
      const child = run.result.processes.find((process) => process.node === childNode);
      expect(child?.status).toBe(0);
    },
  );

  it("spreads 12 children spawned on any node over at least 2 nodes", async () => {
    const run = await bootClusterCase({
      nodes: 4,
      sources: { "spread.asm": source("spread.asm") },
      runs: [{ path: "spread.asm", node: 0, argumentText: "" }],
    });
    expect(run.result.exitStatus).toBe(0);
    const nodes = new Set(
      run.stdout
        .trim()
        .split("\n")
        .map((line) => line.at(-1)),
    );
    expect(run.stdout.trim().split("\n")).toHaveLength(12);
    expect(nodes.size).toBeGreaterThanOrEqual(2);
  });

  it("gives the errors of spawn, send, kill and wait across nodes", async () => {
    const run = await bootClusterCase({
      nodes: 4,
      sources: { "remote-errors.asm": source("remote-errors.asm") },
      runs: [{ path: "remote-errors.asm", node: 0, argumentText: "" }],
    });
    const [
      enoent,
      einval,
      sendEsrch,
      killEsrch,
      echild,
      home,
      killed,
      status,
      samePid,
      seven,
      entries,
      first,
      outside,
    ] = words(run.stdoutBytes);
    expect([enoent, einval, sendEsrch, killEsrch, echild]).toEqual([-2, -22, -3, -3, -10]);
    expect([home, killed, status, samePid, seven]).toEqual([3, 0, 137, 0, 7]);
    expect(entries).toBeGreaterThanOrEqual(1);
    expect(first).toBe(0);
    // A receive from a process of a node outside the cluster: -ESRCH, as one node answers it.
    expect(outside).toBe(-3);
    expect(run.result.exitStatus).toBe(0);
    expect(run.reports.some((line) => /killed by process 0\.1/.test(line))).toBe(true);
  });

  it("replays the same trace from the same seed, and another trace from another seed", async () => {
    const boot = (seed: number) =>
      bootClusterCase({
        nodes: 4,
        fabric: "ethernet",
        seed,
        sources: { "spread.asm": source("spread.asm") },
        runs: [{ path: "spread.asm", node: 0, argumentText: "" }],
      });
    const [first, again, other] = await Promise.all([boot(5), boot(5), boot(6)]);
    expect(again.result.traceHash).toBe(first.result.traceHash);
    expect(again.trace).toEqual(first.trace);
    expect(other.result.traceHash).not.toBe(first.result.traceHash);
  });
});

describe("a guest flooding the network", () => {
  it("is refused with -EAGAIN once the mailbox is full, loses nothing and never crashes the host", async () => {
    const run = await bootClusterCase({
      nodes: 4,
      fabric: "switched:1000",
      sources: { "flood.asm": source("flood.asm") },
      runs: [{ path: "flood.asm", node: 0, argumentText: "" }],
    });
    expect(run.result.outcome).toBe("exited");
    expect(run.result.exitStatus).toBe(0);
    const children = run.result.processes.filter((process) => !process.fromCommandLine);
    const sink = children.find((process) => process.node === 1)!;
    const accepted = children
      .filter((process) => process !== sink)
      .reduce((sum, process) => sum + (process.status ?? 0), 0);
    expect(run.reports).toEqual([]);
    // The flooders are done before the sink wakes: its mailbox took 64, the rest were refused.
    expect(accepted).toBe(64);
    expect(sink.status).toBe(accepted);
  });
});
