// The load figure counts the node as busy whenever a process is ready or running at the tick
// (docs/kernel.md §6): a process that only yields keeps the node busy, one that sleeps leaves
// it idle, and a mix of the two lands in between, near the share of time the worker holds.

import { describe, expect, it } from "vitest";
import { bootSource } from "../node/boot-guests.ts";

/** Yields after every few thousand instructions, so the tick often falls between the two. */
const yielder = `%include "sterna.inc"
section .text
global _start
_start:
    mov ecx, 50
.spin:
    dec ecx
    jnz .spin
    sys_sched_yield
    jmp _start`;

const sleeper = `%include "sterna.inc"
section .text
global _start
_start:
    sys_sleep 1000000
    jmp _start`;

/** Spins about 5 ms (at 100 MHz), then sleeps 15 ms: busy a quarter of the time. */
const quarterBusy = `%include "sterna.inc"
section .text
global _start
_start:
    mov ecx, 250000
.spin:
    dec ecx
    jnz .spin
    sys_sched_yield
    sys_sleep 15000
    jmp _start`;

function loadPercentOver(source: string, untilNs: number): number {
  const run = bootSource(source, { untilNs });
  expect(run.result.load.samples).toBe(100);
  return run.result.load.loadPermille / 10;
}

describe("the load figure", () => {
  it("shows a process that only calls sched_yield as busy (>= 90 %)", () => {
    expect(loadPercentOver(yielder, 1_010_000_000)).toBeGreaterThanOrEqual(90);
  });

  it("shows a process that sleeps as idle (about 0 %)", () => {
    expect(loadPercentOver(sleeper, 1_010_000_000)).toBeLessThanOrEqual(2);
  });

  it("shows a process busy part of the time in between", () => {
    const percent = loadPercentOver(quarterBusy, 1_010_000_000);
    expect(percent).toBeGreaterThan(10);
    expect(percent).toBeLessThan(60);
  });
});
