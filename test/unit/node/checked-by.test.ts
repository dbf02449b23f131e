// Issue 5's "Checked by" cases: guests written with raw ABI v1 numbers (not sterna.inc),
// assembled and linked by nasm + ld at dev time (fixtures/*.asm -> *.elf; see
// record-fixtures.sh), booted on one node. Expected output and statuses come from the ABI
// (DESIGN.md §4): kill gives 137, #DE gives 128 + SIGFPE = 136. Also: the same boot twice
// gives the same trace hash.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { boot, fixturesDirectory } from "./boot-guests.ts";

function bootFixture(name: string) {
  const path = `${name}.elf`;
  return boot([{ path, image: new Uint8Array(readFileSync(join(fixturesDirectory, path))) }]);
}

describe("checked by (nasm-built guests, raw ABI numbers)", () => {
  it("ping-pong with a spawned child", () => {
    const run = bootFixture("checked-ping-pong");
    expect(run.stdout).toBe("ping a\npong a\nping b\npong b\nping c\npong c\nchild 0\n");
    expect(run.result.processes.map((p) => p.status)).toEqual([0, 0]);
    expect(run.result.exitStatus).toBe(0);
  });

  it("a parent pings many children and collects replies with source filters in reverse", () => {
    const run = bootFixture("checked-fan-out");
    expect(run.stdout).toBe("reply 4\nreply 3\nreply 2\nreply 1\nall 0\n");
    expect(run.result.processes).toHaveLength(5);
    expect(run.result.processes.every((p) => p.status === 0)).toBe(true);
  });

  it("a parent sleeps while its child spins, then kills it: 137", () => {
    const run = bootFixture("checked-kill");
    expect(run.stdout).toBe("slept\nkilled 137\n");
    const [parent, child] = run.result.processes;
    expect(parent!.status).toBe(0);
    expect(child!.status).toBe(137);
    expect(child!.killed).toBe(true);
    // The child spun for the parent's whole 30 ms sleep.
    expect(child!.cpuNs).toBeGreaterThanOrEqual(29_000_000);
    expect(run.result.virtualNs).toBeGreaterThanOrEqual(30_000_000);
    expect(run.reports.some((line) => line.includes("killed by process 0.1"))).toBe(true);
  });

  it("a child divides by zero (136) while its parent goes on", () => {
    const run = bootFixture("checked-divide");
    expect(run.stdout).toBe("parent goes on\nchild 136\n");
    const [parent, child] = run.result.processes;
    expect(parent!.status).toBe(0);
    expect(child!.status).toBe(136);
    expect(child!.fault?.name).toBe("#DE");
    expect(run.result.exitStatus).toBe(0);
  });

  it("gives the same trace, byte for byte, when the same boot runs twice", () => {
    for (const name of ["checked-fan-out", "checked-kill"]) {
      const first = bootFixture(name);
      const second = bootFixture(name);
      expect(second.trace).toEqual(first.trace);
      expect(second.result.traceHash).toBe(first.result.traceHash);
      expect(first.trace.length).toBeGreaterThan(3);
    }
  });
});
