// The timer queue: wake-ups fire in (dueNs, scheduling order); cancel removes exactly one;
// bounded. A property compares it with a plain sorted list over random operations.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { timersPerNodeMax } from "../../../kernel/limits.ts";
import { TimerQueue } from "../../../kernel/time/timer-queue.ts";
import { checkProperty } from "../../support/seeded-property.ts";

function drain<T>(queue: TimerQueue<T>, nowNs: number): T[] {
  const fired: T[] = [];
  for (let timer = queue.popDue(nowNs); timer; timer = queue.popDue(nowNs))
    fired.push(timer.payload);
  return fired;
}

describe("TimerQueue", () => {
  it("fires in due order, equal times in the order they were scheduled", () => {
    const queue = new TimerQueue<string>();
    queue.schedule(300, "c");
    queue.schedule(100, "a1");
    queue.schedule(200, "b");
    queue.schedule(100, "a2");
    queue.schedule(100, "a3");
    expect(queue.nextDueNs()).toBe(100);
    expect(drain(queue, 99)).toEqual([]);
    expect(drain(queue, 200)).toEqual(["a1", "a2", "a3", "b"]);
    expect(queue.nextDueNs()).toBe(300);
    expect(drain(queue, 10_000)).toEqual(["c"]);
    expect(queue.nextDueNs()).toBeUndefined();
  });

  it("cancels one pending wake-up by id, once", () => {
    const queue = new TimerQueue<string>();
    const first = queue.schedule(50, "receive timeout")!;
    queue.schedule(60, "sleep");
    expect(queue.cancel(first)).toBe(true);
    expect(queue.cancel(first)).toBe(false);
    expect(queue.nextDueNs()).toBe(60);
    const fired = queue.popDue(60)!;
    expect(fired.payload).toBe("sleep");
    expect(queue.cancel(fired.id)).toBe(false);
  });

  it("holds timersPerNodeMax by default and refuses one more", () => {
    const queue = new TimerQueue<number>();
    expect(queue.capacity).toBe(timersPerNodeMax);
    for (let n = 0; n < timersPerNodeMax; n++) expect(queue.schedule(n, n)).toBeDefined();
    expect(queue.schedule(0, -1)).toBeUndefined();
    queue.popDue(0);
    expect(queue.schedule(0, -1)).toBeDefined();
    expect(() => queue.schedule(1.5, 0)).toThrow(/whole number of ns/);
    expect(() => queue.schedule(-1, 0)).toThrow(/whole number of ns/);
  });

  it("restores from its state and goes on numbering after it", () => {
    const queue = new TimerQueue<{ pid: number }>();
    queue.schedule(70, { pid: 1 });
    const cancelled = queue.schedule(10, { pid: 2 })!;
    queue.schedule(70, { pid: 3 });
    queue.cancel(cancelled);
    const copy = new TimerQueue<{ pid: number }>();
    copy.setState(JSON.parse(JSON.stringify(queue.getState())));
    copy.schedule(70, { pid: 4 });
    expect(drain(copy, 70).map((payload) => payload.pid)).toEqual([1, 3, 4]);
    expect(() =>
      copy.setState({ nextId: 2, timers: [{ id: 2, dueNs: 0, payload: { pid: 1 } }] }),
    ).toThrow(/timers\[0\].id 2/);
    expect(() => copy.setState({ nextId: 0, timers: [] })).toThrow(/nextId/);
  });

  it("agrees with a sorted list on random schedules, cancels and pops", () => {
    type Op =
      | { kind: "schedule"; dueNs: number }
      | { kind: "cancel"; pick: number }
      | { kind: "pop"; nowNs: number };
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ kind: fc.constant("schedule" as const), dueNs: fc.integer({ min: 0, max: 50 }) }),
      fc.record({ kind: fc.constant("cancel" as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant("pop" as const), nowNs: fc.integer({ min: 0, max: 50 }) }),
    );
    checkProperty(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const queue = new TimerQueue<number>(16);
        let reference: { id: number; dueNs: number }[] = [];
        let scheduledCount = 0;
        for (const o of ops) {
          if (o.kind === "schedule") {
            const id = queue.schedule(o.dueNs, o.dueNs);
            if (reference.length >= 16) {
              expect(id).toBeUndefined();
              continue;
            }
            scheduledCount++;
            expect(id).toBe(scheduledCount);
            reference.push({ id: id!, dueNs: o.dueNs });
          } else if (o.kind === "cancel") {
            const id = (o.pick % (scheduledCount + 1)) + 1;
            const pending = reference.some((timer) => timer.id === id);
            expect(queue.cancel(id)).toBe(pending);
            reference = reference.filter((timer) => timer.id !== id);
          } else {
            reference.sort((a, b) => a.dueNs - b.dueNs || a.id - b.id);
            const expected = reference
              .filter((timer) => timer.dueNs <= o.nowNs)
              .map((timer) => timer.id);
            const fired: number[] = [];
            for (let t = queue.popDue(o.nowNs); t; t = queue.popDue(o.nowNs)) fired.push(t.id);
            expect(fired).toEqual(expected);
            reference = reference.filter((timer) => timer.dueNs > o.nowNs);
          }
          expect(queue.size).toBe(reference.length);
          const earliest =
            reference.length === 0 ? undefined : Math.min(...reference.map((t) => t.dueNs));
          expect(queue.nextDueNs()).toBe(earliest);
        }
      }),
      "test/unit/kernel-parts/timer-queue.test.ts",
      300,
    );
  });
});
