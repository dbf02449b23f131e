// Scheduling and load on one node: preemptive round robin from the timer (a spinning process
// cannot starve another), a fault ends only the faulting process, --until's time limit, and
// the userland programs (hello, ping-pong, cpu-worker, producer-consumer) each run to their
// documented output. Expected outputs are the programs' own specification in their headers;
// the xorshift32 value is computed here independently (Marsaglia's algorithm).

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { assembleGuest, boot, programsDirectory, readProgram } from "./boot-guests.ts";

function program(name: string) {
  return { path: name, image: readProgram(join(programsDirectory, name)) };
}

function xorshift32(seed: number, steps: number): number {
  let x = seed >>> 0;
  for (let i = 0; i < steps; i++) {
    x = (x ^ (x << 13)) >>> 0;
    x = (x ^ (x >>> 17)) >>> 0;
    x = (x ^ (x << 5)) >>> 0;
  }
  return x;
}

describe("preemptive scheduling", () => {
  it("a spinning process cannot starve another: two spinners share the CPU, a printer finishes", () => {
    const spin = `%include "sterna.inc"
section .text
global _start
_start:
    inc eax
    jmp _start`;
    const files = [{ path: "spin.elf", image: assembleGuest(spin) }, program("hello.asm")];
    const run = boot(files, { runs: ["spin.elf", "spin.elf", "hello.asm"], untilNs: 50_000_000 });
    expect(run.stdout).toBe("hello from sterna\n");
    expect(run.result.outcome).toBe("time-limit");
    expect(run.result.exitStatus).toBe(124);
    const [first, second, hello] = run.result.processes;
    expect(hello!.status).toBe(0);
    expect(first!.status).toBeUndefined();
    // The two spinners share the 50 ms almost equally (10 ms slices).
    expect(Math.abs(first!.cpuNs - second!.cpuNs)).toBeLessThanOrEqual(11_000_000);
    expect(first!.cpuNs + second!.cpuNs).toBeGreaterThan(45_000_000);
    expect(run.result.load.loadPermille).toBe(1000);
    expect(run.result.load.samples).toBe(5);
  });
});

describe("userland programs", () => {
  it("hello", () => {
    const run = boot([program("hello.asm")]);
    expect(run.stdout).toBe("hello from sterna\n");
    expect(run.result.exitStatus).toBe(0);
  });

  it("ping-pong", () => {
    const run = boot([program("ping-pong.asm")]);
    const rounds = [1, 2, 3, 4, 5].map((k) => `ping ${k}\npong ${k}\n`).join("");
    expect(run.stdout).toBe(`${rounds}ping-pong done\n`);
    expect(run.result.processes.map((p) => p.status)).toEqual([0, 0]);
  });

  it("cpu-worker", () => {
    const run = boot([program("cpu-worker.asm")]);
    const value = xorshift32(2463534242, 2_000_000).toString(16).padStart(8, "0");
    expect(run.stdout).toBe(`cpu-worker: 0x${value}\n`);
    expect(run.result.processes[0]!.cpuNs).toBeGreaterThan(10_000_000);
  });

  it("producer-consumer", () => {
    const run = boot([program("producer-consumer.asm")]);
    const consumed = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((k) => `consumed  ${k}\n`).join("");
    expect(run.stdout).toBe(`${consumed}consumer total 45\nproducer got 45\n`);
    expect(run.result.exitStatus).toBe(0);
  });
});

describe("faults", () => {
  it("a faulting process ends alone (139) while the other runs on", () => {
    const crash = assembleGuest(`section .text
global _start
_start:
    mov eax, [0]`);
    const run = boot([{ path: "crash.elf", image: crash }, program("ping-pong.asm")], {
      runs: ["crash.elf", "ping-pong.asm"],
    });
    expect(run.stdout).toContain("ping-pong done\n");
    expect(run.result.processes[0]!.status).toBe(139);
    expect(run.result.exitStatus).toBe(1);
    expect(run.reports[0]).toContain("#PF");
  });
});
