// The node's wake-ups in virtual time: sleeps, receive timeouts and kernel timers, each due at
// a virtual nanosecond. A binary min-heap ordered by (dueNs, id); ids count up from 1, so
// timers due at the same instant fire in the order they were scheduled, whatever the heap's
// shape. Cancelling is O(log n) through an id -> heap slot index. What a wake-up does is the
// payload's business. Virtual ns are exact integers up to 2^53 (about 104 days).

import { timersPerNodeMax } from "../limits.ts";

export interface Timer<Payload> {
  /** Unique on this queue, never reused; also the tie-break among equal dueNs. */
  id: number;
  dueNs: number;
  payload: Payload;
}

export interface TimerQueueState<Payload> {
  nextId: number;
  /** In firing order. */
  timers: Timer<Payload>[];
}

export class TimerQueue<Payload> {
  private heap: Timer<Payload>[] = [];
  private readonly slotById = new Map<number, number>();
  private nextId = 1;

  constructor(readonly capacity = timersPerNodeMax) {}

  get size(): number {
    return this.heap.length;
  }

  /** Adds a wake-up; its id, or undefined when `capacity` are pending (the caller: -EAGAIN). */
  schedule(dueNs: number, payload: Payload): number | undefined {
    if (!Number.isSafeInteger(dueNs) || dueNs < 0) {
      throw new RangeError(`timer due time must be a whole number of ns >= 0, got ${dueNs}`);
    }
    if (this.heap.length >= this.capacity) return undefined;
    const timer = { id: this.nextId++, dueNs, payload };
    this.heap.push(timer);
    this.siftUp(this.heap.length - 1);
    return timer.id;
  }

  /** Removes a pending wake-up; false if it already fired or was cancelled. */
  cancel(id: number): boolean {
    const slot = this.slotById.get(id);
    if (slot === undefined) return false;
    this.removeAt(slot);
    return true;
  }

  /** When the earliest wake-up is due, or undefined when none is pending. */
  /** When the pending timer `id` is due; undefined when it is not pending. */
  dueNsOf(id: number): number | undefined {
    const slot = this.slotById.get(id);
    return slot === undefined ? undefined : this.heap[slot]!.dueNs;
  }

  nextDueNs(): number | undefined {
    return this.heap[0]?.dueNs;
  }

  /** Removes and returns the earliest wake-up due at or before `nowNs`; call until undefined. */
  popDue(nowNs: number): Timer<Payload> | undefined {
    const first = this.heap[0];
    if (first === undefined || first.dueNs > nowNs) return undefined;
    this.removeAt(0);
    return first;
  }

  getState(): TimerQueueState<Payload> {
    const timers = this.heap.map((timer) => ({ ...timer }));
    timers.sort((a, b) => a.dueNs - b.dueNs || a.id - b.id);
    return { nextId: this.nextId, timers };
  }

  setState(state: TimerQueueState<Payload>): void {
    if (!Number.isSafeInteger(state.nextId) || state.nextId < 1) {
      throw new RangeError(`timer queue state: nextId must be a positive integer`);
    }
    if (state.timers.length > this.capacity) {
      throw new RangeError(
        `timer queue state: ${state.timers.length} timers, at most ${this.capacity}`,
      );
    }
    const seen = new Set<number>();
    state.timers.forEach((timer, index) => {
      const validId = Number.isSafeInteger(timer.id) && timer.id >= 1 && timer.id < state.nextId;
      if (!validId || seen.has(timer.id)) {
        throw new RangeError(
          `timer queue state: timers[${index}].id ${timer.id} is not a fresh id`,
        );
      }
      if (!Number.isSafeInteger(timer.dueNs) || timer.dueNs < 0) {
        throw new RangeError(`timer queue state: timers[${index}].dueNs ${timer.dueNs} is invalid`);
      }
      seen.add(timer.id);
    });
    this.heap = [];
    this.slotById.clear();
    this.nextId = state.nextId;
    for (const timer of state.timers) {
      this.heap.push({ ...timer });
      this.siftUp(this.heap.length - 1);
    }
  }

  private before(a: Timer<Payload>, b: Timer<Payload>): boolean {
    return a.dueNs < b.dueNs || (a.dueNs === b.dueNs && a.id < b.id);
  }

  private place(timer: Timer<Payload>, slot: number): void {
    this.heap[slot] = timer;
    this.slotById.set(timer.id, slot);
  }

  private removeAt(slot: number): void {
    const removed = this.heap[slot]!;
    this.slotById.delete(removed.id);
    const last = this.heap.pop()!;
    if (slot === this.heap.length) return;
    this.place(last, slot);
    this.siftUp(slot);
    this.siftDown(this.slotById.get(last.id)!);
  }

  private siftUp(slot: number): void {
    const timer = this.heap[slot]!;
    while (slot > 0) {
      const parentSlot = (slot - 1) >> 1;
      const parent = this.heap[parentSlot]!;
      if (!this.before(timer, parent)) break;
      this.place(parent, slot);
      slot = parentSlot;
    }
    this.place(timer, slot);
  }

  private siftDown(slot: number): void {
    const timer = this.heap[slot]!;
    const count = this.heap.length;
    for (;;) {
      const leftSlot = 2 * slot + 1;
      if (leftSlot >= count) break;
      const rightSlot = leftSlot + 1;
      const childSlot =
        rightSlot < count && this.before(this.heap[rightSlot]!, this.heap[leftSlot]!)
          ? rightSlot
          : leftSlot;
      if (!this.before(this.heap[childSlot]!, timer)) break;
      this.place(this.heap[childSlot]!, slot);
      slot = childSlot;
    }
    this.place(timer, slot);
  }
}
