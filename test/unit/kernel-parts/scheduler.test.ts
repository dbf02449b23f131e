// Preemptive priority round robin (docs/kernel.md, "Scheduling"): most urgent level first,
// FIFO within a level, bounded queues, and the aging rule that keeps low priorities from
// starving, checked exactly on a small case and as a bound on random ones.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { priorityLevelCount, processesPerNodeMax } from "../../../kernel/limits.ts";
import { pidNone } from "../../../kernel/process/pid.ts";
import { PidRing } from "../../../kernel/scheduler/pid-ring.ts";
import { PriorityRoundRobin } from "../../../kernel/scheduler/priority-round-robin.ts";
import { TimeSlice, timeSliceCyclesDefault } from "../../../kernel/scheduler/time-slice.ts";
import { checkProperty } from "../../support/seeded-property.ts";

describe("PidRing", () => {
  it("is a FIFO across the wrap-around, and removes from the middle in order", () => {
    const ring = new PidRing(3);
    ring.push(1);
    ring.push(2);
    expect(ring.shift()).toBe(1);
    ring.push(3);
    ring.push(4);
    expect(() => ring.push(5)).toThrow(/full \(3\)/);
    expect(ring.toArray()).toEqual([2, 3, 4]);
    expect(ring.remove(3)).toBe(true);
    expect(ring.remove(3)).toBe(false);
    expect(ring.toArray()).toEqual([2, 4]);
    expect(ring.peek()).toBe(2);
    expect([ring.shift(), ring.shift(), ring.shift()]).toEqual([2, 4, 0]);
  });
});

describe("PriorityRoundRobin", () => {
  it("has nothing to run when nothing is ready (the idle process runs)", () => {
    const scheduler = new PriorityRoundRobin();
    expect(scheduler.levelCount).toBe(priorityLevelCount);
    expect(scheduler.capacity).toBe(processesPerNodeMax);
    expect(scheduler.pickNext()).toBe(pidNone);
    expect(scheduler.mostUrgentLevel()).toBe(-1);
  });

  it("runs the most urgent level first and takes turns within a level", () => {
    const scheduler = new PriorityRoundRobin();
    scheduler.makeReady(11, 5);
    scheduler.makeReady(21, 2);
    scheduler.makeReady(22, 2);
    expect(scheduler.mostUrgentLevel()).toBe(2);
    const order: number[] = [];
    for (let pick = 0; pick < 5; pick++) {
      const pid = scheduler.pickNext();
      order.push(pid);
      if (pid !== 11) scheduler.makeReady(pid, 2);
    }
    // 11 at level 5 is passed over 5 times: not yet agingPicks (8).
    expect(order).toEqual([21, 22, 21, 22, 21]);
  });

  it("keeps strict round robin among equals however long it runs", () => {
    const scheduler = new PriorityRoundRobin({ agingPicks: 1 });
    const pids = [1, 2, 3, 4, 5, 6, 7];
    for (const pid of pids) scheduler.makeReady(pid, 6);
    for (let pick = 0; pick < 70; pick++) {
      const pid = scheduler.pickNext();
      expect(pid).toBe(pids[pick % pids.length]);
      scheduler.makeReady(pid, 6);
    }
    expect(scheduler.promotions).toBe(0);
  });

  it("moves a starved level's head up one level per agingPicks picks", () => {
    // A spinner at level 0 runs after every pick; a process at level 7 climbs one level
    // every 8 picks, reaches level 0 after pick 7 * 8 = 56 and, queued ahead of the
    // spinner that is running then, runs at pick 57.
    const scheduler = new PriorityRoundRobin({ agingPicks: 8 });
    const spinner = 1;
    const low = 2;
    scheduler.makeReady(low, 7);
    scheduler.makeReady(spinner, 0);
    let pick = 0;
    for (;;) {
      pick++;
      const pid = scheduler.pickNext();
      if (pid === low) break;
      expect(pid).toBe(spinner);
      if (pick === 8) expect(scheduler.levelOf(low)).toBe(6);
      scheduler.makeReady(spinner, 0);
    }
    expect(pick).toBe(57);
    expect(scheduler.promotions).toBe(7);
  });

  it("removes a ready process from its queue, keeping the others' order", () => {
    const scheduler = new PriorityRoundRobin();
    for (const pid of [1, 2, 3]) scheduler.makeReady(pid, 4);
    expect(scheduler.remove(2)).toBe(true);
    expect(scheduler.remove(2)).toBe(false);
    expect(scheduler.isReady(2)).toBe(false);
    expect(scheduler.queuedAt(4)).toEqual([1, 3]);
    expect(scheduler.readyCount).toBe(2);
  });

  it("refuses what a kernel must never do: bad priority, pid 0, twice ready, over capacity", () => {
    const scheduler = new PriorityRoundRobin({ capacity: 2, levelCount: 3 });
    expect(() => scheduler.makeReady(1, 3)).toThrow(/priority must be 0..2/);
    expect(() => scheduler.makeReady(1, -1)).toThrow(/priority/);
    expect(() => scheduler.makeReady(pidNone, 0)).toThrow(/pid 0/);
    scheduler.makeReady(1, 0);
    expect(() => scheduler.makeReady(1, 1)).toThrow(/already ready/);
    scheduler.makeReady(2, 2);
    expect(() => scheduler.makeReady(3, 2)).toThrow(/full \(2 processes\)/);
    expect(() => new PriorityRoundRobin({ agingPicks: 0 })).toThrow(/agingPicks/);
  });

  it("never lets a CPU-bound process wait more than L * N * agingPicks + N picks", () => {
    checkProperty(
      fc.property(
        fc.array(fc.integer({ min: 0, max: priorityLevelCount - 1 }), {
          minLength: 1,
          maxLength: 12,
        }),
        fc.integer({ min: 1, max: 10 }),
        (priorities, agingPicks) => {
          const scheduler = new PriorityRoundRobin({ agingPicks });
          const count = priorities.length;
          priorities.forEach((priority, index) => {
            scheduler.makeReady(index + 1, priority);
          });
          const lastRunPick = new Array<number>(count).fill(0);
          const totalPicks = 3 * priorityLevelCount * count * agingPicks + 3 * count;
          for (let pick = 1; pick <= totalPicks; pick++) {
            const pid = scheduler.pickNext();
            const priority = priorities[pid - 1]!;
            const bound = priority * count * agingPicks + count;
            if (pick - lastRunPick[pid - 1]! > bound) return false;
            lastRunPick[pid - 1] = pick;
            scheduler.makeReady(pid, priority);
          }
          return true;
        },
      ),
      "test/unit/kernel-parts/scheduler.test.ts",
      200,
    );
  });
});

describe("TimeSlice", () => {
  it("expires once the charged cycles reach its length, and restarts on start", () => {
    const slice = new TimeSlice(100);
    expect(new TimeSlice().lengthCycles).toBe(timeSliceCyclesDefault);
    slice.charge(60);
    expect(slice.expired).toBe(false);
    expect(slice.remainingCycles).toBe(40);
    slice.charge(40);
    expect(slice.expired).toBe(true);
    expect(slice.remainingCycles).toBe(0);
    slice.start();
    expect(slice.usedCycles).toBe(0);
    expect(slice.expired).toBe(false);
    expect(() => slice.charge(-1)).toThrow(/-1 cycles/);
    expect(() => new TimeSlice(0)).toThrow(/positive/);
  });
});
