// The NIC in its machine: every Machine has one, named by its node; a NIC event scheduled at
// t ns is due at cycle ceil(t * clockHz / 1e9) and moved in at the first run boundary at or
// after it, so `run` stops there with Interrupt, an idle machine skips to it, and masking the
// NIC's lines hides its events as masking the timer hides the timer. The machine's state
// carries the NIC's.

import { describe, expect, it } from "vitest";
import { nicReceiveIrqBit, nicTransmitDoneIrqBit } from "../../../vm/devices/nic.ts";
import { macForNode } from "../../../vm/fabric/mac-address.ts";
import { FrameEventKind } from "../../../vm/fabric/medium.ts";
import { Machine, MachineStop } from "../../../vm/machine.ts";
import { PTE_P, PTE_RW, PTE_US } from "../../../vm/mmu/page-table-entry.ts";
import { frameBetween, testEtherType } from "../../support/frames.ts";

const incEaxLoop = [0x40, 0xeb, 0xfd];

function machineLooping(node: number, clockHz = 100e6): Machine {
  const machine = new Machine({ memoryBytes: 1 << 20, clockHz, node, nicRxRingFrames: 4 });
  machine.memory.write32(0x1000 + 4, 0x2000 | PTE_P | PTE_RW | PTE_US);
  machine.memory.write32(0x2000, 0x3000 | PTE_P | PTE_RW | PTE_US);
  machine.memory.writeBytes(0x3000, Uint8Array.from(incEaxLoop));
  machine.mmu.setCr3(0x1000);
  machine.cpu.eip = 0x00400000;
  return machine;
}

function scheduleReceive(machine: Machine, atNs: number, seq = 0): void {
  machine.nic.schedule({
    kind: FrameEventKind.Receive,
    node: machine.nic.node,
    atNs,
    sourceNode: 1,
    seq,
    bytes: frameBetween(1, machine.nic.node, 10, seq),
    delivered: true,
  });
}

describe("the NIC in a machine", () => {
  it("is named by the machine's node", () => {
    expect(new Machine({ memoryBytes: 1 << 20, node: 5 }).nic.mac).toBe(macForNode(5));
    expect(new Machine({ memoryBytes: 1 << 20 }).nic.node).toBe(0);
    expect(() => new Machine({ memoryBytes: 1 << 20, nicTxQueueFrames: 0 })).toThrow(RangeError);
  });

  it("stops run at the first boundary at or after an event's cycle", () => {
    // 3 MHz: 1000 ns is 3 cycles exactly; 1001 ns rounds up to cycle 4.
    const machine = machineLooping(2, 3e6);
    scheduleReceive(machine, 1001);
    expect(machine.cyclesToNextEvent()).toBe(4);
    expect(machine.pendingIrqMask()).toBe(0);
    expect(machine.run(1_000_000)).toBe(MachineStop.Interrupt);
    expect(machine.cycles).toBeGreaterThanOrEqual(4);
    expect(machine.pendingIrqMask()).toBe(nicReceiveIrqBit);
    expect(machine.nic.receive()!.atNs).toBe(1001);
    machine.nic.acknowledge();
    expect(machine.pendingIrqMask()).toBe(0);
    expect(machine.cyclesToNextEvent()).toBe(Number.POSITIVE_INFINITY);
  });

  it("wakes an idle machine for the NIC, and ignores it while its lines are masked", () => {
    const machine = machineLooping(0);
    scheduleReceive(machine, 50_000);
    machine.irqEnabledMask = 1;
    expect(machine.cyclesToNextEvent()).toBe(Number.POSITIVE_INFINITY);
    machine.irqEnabledMask = 0xffffffff;
    expect(machine.idleUntilNextEvent()).toBe(5000);
    expect(machine.nowNs()).toBe(50_000);
    expect(machine.pendingIrqMask()).toBe(nicReceiveIrqBit);
  });

  it("lets the kernel send at the machine's time and hears transmit-done", () => {
    const machine = machineLooping(3);
    machine.chargeCycles(700);
    expect(machine.nic.send(macForNode(0), testEtherType, new Uint8Array(4), machine.nowNs())).toBe(
      true,
    );
    const [frame] = machine.nic.takeOutgoing();
    expect(frame!.handedAtNs).toBe(7000);
    machine.nic.schedule({
      kind: FrameEventKind.TransmitDone,
      node: 3,
      atNs: 60_000,
      sourceNode: 3,
      seq: 0,
      bytes: new Uint8Array(0),
      delivered: true,
    });
    expect(machine.run(1_000_000)).toBe(MachineStop.Interrupt);
    expect(machine.pendingIrqMask()).toBe(nicTransmitDoneIrqBit);
    expect(machine.nic.txQueued).toBe(0);
  });

  it("carries the NIC in its state", () => {
    const machine = machineLooping(1);
    for (let seq = 0; seq < 6; seq++) scheduleReceive(machine, 10 * seq, seq);
    scheduleReceive(machine, 1_000_000, 9);
    machine.chargeCycles(100);
    expect(machine.pendingIrqMask()).toBe(nicReceiveIrqBit);
    expect(machine.nic.counters.rxOverflowDrops).toBe(2);
    const state = machine.getState();
    const copy = machineLooping(1);
    copy.setState(state);
    expect(copy.nic.getState()).toEqual(machine.nic.getState());
    expect(copy.cyclesToNextEvent()).toBe(machine.cyclesToNextEvent());
    expect(() => machineLooping(2).setState(state)).toThrow(/node 1/);
  });
});
