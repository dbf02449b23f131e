// The process table's held slots: a slot held for an arrival or kept by a process whose state
// is travelling counts as taken, so a spawn or another arrival cannot take it and the process
// can always come back.

import { describe, expect, it } from "vitest";
import type { Process } from "../../../kernel/process/process.ts";
import { ProcessTable } from "../../../kernel/process/process-table.ts";

function pcb(pid: number): Process {
  return { pid } as Process;
}

describe("ProcessTable held slots", () => {
  it("counts a held slot as taken until it is filled or released", () => {
    const table = new ProcessTable(2);
    table.add(pcb(1));
    expect(table.holdSlot()).toBe(true);
    expect(table.isFull).toBe(true);
    expect(table.holdSlot()).toBe(false);
    expect(() => table.add(pcb(2))).toThrow(/process table full/);
    table.add(pcb(2), true);
    expect(table.size).toBe(2);
    table.remove(2);
    expect(table.isFull).toBe(false);
  });

  it("keeps a detached process's slot so it can be put back", () => {
    const table = new ProcessTable(1);
    table.add(pcb(7));
    table.detach(7);
    expect(table.has(7)).toBe(false);
    expect(table.isFull).toBe(true);
    table.add(pcb(7), true);
    expect(table.get(7)?.pid).toBe(7);
    table.detach(7);
    table.releaseSlot();
    expect(table.isFull).toBe(false);
    expect(() => table.releaseSlot()).toThrow(/kernel bug/);
  });
});
