// Global PIDs (DESIGN.md §4): home node in the high 12 bits, local counter in the low 20,
// counter never 0, and a wrapping allocator that skips PIDs still in use.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  formatPid,
  isPid,
  LocalPidAllocator,
  makePid,
  parsePid,
  pidEpoch,
  pidEpochMax,
  pidHomeNode,
  pidLocalId,
  pidLocalMax,
  pidNodeMax,
} from "../../../kernel/process/pid.ts";
import { checkProperty } from "../../support/seeded-property.ts";

describe("PID encoding", () => {
  it("puts the home node in bits 20..31 and the local counter in bits 0..19", () => {
    expect(makePid(3, 17)).toBe(3 * 2 ** 20 + 17);
    expect(makePid(0, 1)).toBe(1);
    expect(pidLocalMax).toBe(2 ** 20 - 1);
  });

  it("decodes what it encodes, for every node and counter", () => {
    checkProperty(
      fc.property(
        fc.integer({ min: 0, max: pidNodeMax }),
        fc.integer({ min: 1, max: pidLocalMax }),
        (node, local) => {
          const pid = makePid(node, local);
          return pidHomeNode(pid) === node && pidLocalId(pid) === local && isPid(pid);
        },
      ),
      "test/unit/kernel-parts/pid.test.ts",
      500,
    );
  });

  it("keeps every PID positive as a signed 32-bit value, so it never looks like -errno", () => {
    expect(makePid(pidNodeMax, pidLocalMax) | 0).toBeGreaterThan(0);
    expect(() => makePid(pidNodeMax + 1, 1)).toThrow(/home node/);
  });

  it("refuses local counter 0, negative or fractional parts", () => {
    expect(() => makePid(1, 0)).toThrow(/local id/);
    expect(() => makePid(-1, 1)).toThrow(/home node/);
    expect(() => makePid(1, 1.5)).toThrow(/local id/);
    expect(() => makePid(1, 2 ** 20)).toThrow(/local id/);
    expect(isPid(0)).toBe(false);
    expect(isPid(2 ** 20)).toBe(false);
    expect(isPid(2 ** 31)).toBe(false);
  });

  it("formats as NODE.LOCAL and parses that or a plain number back", () => {
    const pid = makePid(3, 17);
    expect(formatPid(pid)).toBe("3.17");
    expect(parsePid("3.17")).toBe(pid);
    expect(parsePid(String(pid))).toBe(pid);
    for (const bad of ["", "3.0", "2048.1", "x", "1.1048576", "-1", String(2 ** 20)]) {
      expect(() => parsePid(bad)).toThrow(`bad PID "${bad}"`);
    }
  });
});

describe("LocalPidAllocator", () => {
  it("counts up from 1 on its home node", () => {
    const allocator = new LocalPidAllocator(5);
    expect(allocator.allocate(() => false)).toBe(makePid(5, 1));
    expect(allocator.allocate(() => false)).toBe(makePid(5, 2));
  });

  it("skips PIDs the predicate reports in use", () => {
    const allocator = new LocalPidAllocator(0);
    const inUse = new Set([makePid(0, 1), makePid(0, 2), makePid(0, 4)]);
    expect(allocator.allocate((pid) => inUse.has(pid))).toBe(makePid(0, 3));
    expect(allocator.allocate((pid) => inUse.has(pid))).toBe(makePid(0, 5));
  });

  it("wraps from the epoch block's largest counter back to its first, never to 0", () => {
    const allocator = new LocalPidAllocator(2);
    allocator.setState({ homeNode: 2, nextLocalId: 0xffff });
    expect(allocator.allocate(() => false)).toBe(makePid(2, 0xffff));
    expect(allocator.allocate(() => false)).toBe(makePid(2, 1));
    allocator.setState({ homeNode: 2, nextLocalId: 0xffff });
    const inUse = new Set([makePid(2, 0xffff), makePid(2, 1)]);
    expect(allocator.allocate((pid) => inUse.has(pid))).toBe(makePid(2, 2));
  });

  it("gives each epoch (restart) a block no earlier epoch's PIDs fall in", () => {
    const first = new LocalPidAllocator(3, 0);
    const restarted = new LocalPidAllocator(3, 1);
    expect(restarted.allocate(() => false)).toBe(makePid(3, 0x10000));
    expect(pidEpoch(makePid(3, 0x10000))).toBe(1);
    expect(pidEpoch(first.allocate(() => false)!)).toBe(0);
    const last = new LocalPidAllocator(3, pidEpochMax);
    last.setState({ homeNode: 3, nextLocalId: pidLocalMax - 1 });
    expect(last.allocate(() => false)).toBe(makePid(3, pidLocalMax - 1));
    // The kernel sender's id (2^20 - 1) is never issued.
    expect(last.allocate(() => false)).toBe(makePid(3, pidEpochMax << 16));
    expect(() => new LocalPidAllocator(3, pidEpochMax + 1)).toThrow(/epoch/);
  });

  it("answers undefined when every PID of the node is in use", () => {
    const allocator = new LocalPidAllocator(1);
    expect(allocator.allocate(() => true)).toBeUndefined();
  });

  it("restores its counter and rejects state of another node or a bad counter", () => {
    const allocator = new LocalPidAllocator(7);
    allocator.allocate(() => false);
    const copy = new LocalPidAllocator(7);
    copy.setState(allocator.getState());
    expect(copy.allocate(() => false)).toBe(makePid(7, 2));
    expect(() => copy.setState({ homeNode: 6, nextLocalId: 1 })).toThrow(/homeNode is 6/);
    expect(() => copy.setState({ homeNode: 7, nextLocalId: 0 })).toThrow(/nextLocalId/);
    expect(() => new LocalPidAllocator(pidNodeMax + 1)).toThrow(/home node/);
  });
});
