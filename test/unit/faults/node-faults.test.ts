// The pieces of a node crash: the schedule check (crashes and restarts alternate, a bounded
// number of restarts), and the machine's side (memory wiped, NIC silent until powered again).

import { describe, expect, it } from "vitest";
import {
  crashMachine,
  type NodeFault,
  NodeFaultKind,
  nodeFaultScheduleProblem,
  passCrashedTime,
  restartsPerNodeMax,
} from "../../../kernel/boot/node-faults.ts";
import { macForNode } from "../../../vm/fabric/mac-address.ts";
import { FrameEventKind } from "../../../vm/fabric/medium.ts";
import { Machine } from "../../../vm/machine.ts";
import { frameBetween, testEtherType } from "../../support/frames.ts";

const crash = (atNs: number): NodeFault => ({ atNs, kind: NodeFaultKind.Crash });
const restart = (atNs: number): NodeFault => ({ atNs, kind: NodeFaultKind.Restart });

describe("node crash schedule", () => {
  it("accepts crashes and restarts that alternate, a crash first", () => {
    expect(nodeFaultScheduleProblem([])).toBeUndefined();
    expect(nodeFaultScheduleProblem([crash(1), restart(2), crash(3)])).toBeUndefined();
  });

  it("names the fault that breaks it", () => {
    expect(nodeFaultScheduleProblem([restart(1)])?.why).toMatch(/not crashed/);
    const second = crash(2);
    expect(nodeFaultScheduleProblem([crash(1), second])).toEqual({
      fault: second,
      why: expect.stringMatching(/already crashed/),
    });
    expect(nodeFaultScheduleProblem([crash(1), restart(1)])?.why).toMatch(/same time|at that/);
  });

  it("allows as many restarts as there are pid epochs after the first", () => {
    const schedule: NodeFault[] = [];
    for (let index = 0; index <= restartsPerNodeMax; index++) {
      schedule.push(crash(index * 10 + 1), restart(index * 10 + 2));
    }
    expect(nodeFaultScheduleProblem(schedule.slice(0, -2))).toBeUndefined();
    expect(nodeFaultScheduleProblem(schedule)?.fault).toBe(schedule.at(-1));
  });
});

describe("a crashed machine", () => {
  it("loses its memory and drops what reaches its NIC until it is powered again", () => {
    const machine = new Machine({ node: 1, memoryBytes: 1 << 20 });
    machine.memory.bytes.fill(0xaa, 0, 4096);
    const bytes = frameBetween(0, 1, 50);
    const arrive = (atNs: number, seq: number) =>
      machine.nic.schedule({
        kind: FrameEventKind.Receive,
        node: 1,
        atNs,
        sourceNode: 0,
        seq,
        bytes,
        delivered: true,
      });
    arrive(1_000, 0);
    machine.nic.deliverDue(1_000);
    expect(machine.nic.rxFrames).toBe(1);
    crashMachine(machine);
    expect(machine.memory.bytes.subarray(0, 4096).every((byte) => byte === 0)).toBe(true);
    expect(machine.nic.rxFrames).toBe(0);
    expect(machine.nic.raisedIrqMask()).toBe(0);
    expect(machine.nic.send(macForNode(0), testEtherType, new Uint8Array(50), 2_000)).toBe(false);
    arrive(3_000, 1);
    passCrashedTime(machine, 5_000);
    expect(machine.nowNs()).toBeGreaterThanOrEqual(5_000);
    expect(machine.nic.counters.poweredOffDrops).toBe(1);
    expect(machine.nic.rxFrames).toBe(0);
    machine.nic.powerOn();
    arrive(6_000, 2);
    machine.nic.deliverDue(6_000);
    expect(machine.nic.rxFrames).toBe(1);
    expect(machine.nic.send(macForNode(0), testEtherType, new Uint8Array(50), 6_000)).toBe(true);
  });
});
