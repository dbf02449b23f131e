// The frame allocator hands out frames in an order that depends only on the calls (runs and
// trace hashes rely on it): the frame freed last first, else the lowest never handed out.
// Checked against the plain model of that rule, a stack holding every free frame, over random
// calls (fast-check prints the seed of a failing run).

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FrameAllocator } from "../../../kernel/memory/frame-allocator.ts";
import { pageSizeBytes } from "../../../kernel/memory/user-layout.ts";

/** Every free frame on one stack, the next one to hand out on top. */
class StackModel {
  private readonly free: number[] = [];
  private held = 0;

  constructor(frameCount: number, reservedFrames: number) {
    for (let frame = frameCount - 1; frame >= reservedFrames; frame--) this.free.push(frame);
  }

  get freeFrameCount(): number {
    return this.free.length - this.held;
  }

  hold(count: number): number {
    const held = Math.max(0, Math.min(count, this.freeFrameCount));
    this.held += held;
    return held;
  }

  release(count: number): void {
    this.held -= Math.min(count, this.held);
  }

  allocate(): number {
    return this.freeFrameCount <= 0 ? -1 : this.free.pop()! * pageSizeBytes;
  }

  free_(address: number): void {
    this.free.push(address / pageSizeBytes);
  }
}

type Call =
  | { kind: "allocate" }
  | { kind: "free"; pick: number }
  | { kind: "hold"; count: number }
  | { kind: "release"; count: number };

const call: fc.Arbitrary<Call> = fc.oneof(
  { arbitrary: fc.constant({ kind: "allocate" as const }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant("free" as const), pick: fc.nat() }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant("hold" as const), count: fc.nat(6) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant("release" as const), count: fc.nat(6) }), weight: 1 },
);

describe("FrameAllocator", () => {
  it("hands out the frame freed last, else the lowest never handed out, as a stack of all frames would", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 24 }),
        fc.array(call, { maxLength: 200 }),
        (frameCount, calls) => {
          const allocator = new FrameAllocator(frameCount * pageSizeBytes);
          const model = new StackModel(frameCount, 1);
          const allocated: number[] = [];
          for (const step of calls) {
            if (step.kind === "allocate") {
              const address = allocator.allocate();
              expect(address).toBe(model.allocate());
              if (address >= 0) allocated.push(address);
            } else if (step.kind === "free" && allocated.length > 0) {
              const [address] = allocated.splice(step.pick % allocated.length, 1);
              allocator.free(address!);
              model.free_(address!);
            } else if (step.kind === "hold") {
              expect(allocator.hold(step.count)).toBe(model.hold(step.count));
            } else if (step.kind === "release") {
              allocator.release(step.count);
              model.release(step.count);
            }
            expect(allocator.freeFrameCount).toBe(model.freeFrameCount);
          }
        },
      ),
    );
  });

  it("keeps frame 0 back and refuses to free a frame it did not hand out", () => {
    const allocator = new FrameAllocator(3 * pageSizeBytes);
    expect([allocator.allocate(), allocator.allocate(), allocator.allocate()]).toEqual([
      pageSizeBytes,
      2 * pageSizeBytes,
      -1,
    ]);
    expect(() => allocator.free(0)).toThrow(/not allocated/);
    allocator.free(pageSizeBytes);
    expect(() => allocator.free(pageSizeBytes)).toThrow(/not allocated/);
    expect(allocator.allocate()).toBe(pageSizeBytes);
  });
});
