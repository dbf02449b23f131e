// Checks qemu-i386's dumps of the sweep program against the manual's pseudocode (manual-model.ts)
// under the same masks the oracle compares sterna with. A disagreement is a place where
// qemu-i386 departs from the manual on something the manual defines. The manual wins: record.ts
// refuses to record such a sweep, and the tests hold the committed one to the manual.

import { type MachineState, parseDumps } from "./dump-records.ts";
import { manualOutcome } from "./manual-model.ts";
import type { SweepProgram } from "./sweep.ts";

const EAX = 0;
const ECX = 1;
const EDX = 2;
const EBX = 3;

/** A step where qemu-i386 and the manual differ, with the manual's full expected state. */
export interface ManualDisagreement {
  step: number;
  text: string;
  /** EAX ECX EDX EBX as the manual defines them (other registers are untouched). */
  manualRegs: [number, number, number, number];
  manualFlags: number;
  qemuRegs: [number, number, number, number];
  qemuFlags: number;
}

function relevantRegs(state: MachineState): [number, number, number, number] {
  return [state.regs[EAX]!, state.regs[ECX]!, state.regs[EDX]!, state.regs[EBX]!];
}

export function crossCheckSweep(
  program: SweepProgram,
  qemuOutput: Uint8Array,
): ManualDisagreement[] {
  const states = parseDumps(qemuOutput, program.steps).states;
  const disagreements: ManualDisagreement[] = [];
  for (let i = 0; i < states.length; i++) {
    const sweepCase = program.cases[i];
    if (!sweepCase) continue;
    const step = program.steps[i]!;
    const manual = manualOutcome(sweepCase);
    const manualRegs: [number, number, number, number] = [
      manual.eax,
      manual.ecx,
      manual.edx,
      manual.ebx,
    ];
    const qemu = states[i]!;
    const qemuRegs = relevantRegs(qemu);
    let differs = ((manual.flags ^ qemu.eflags) & step.flagsMask) !== 0;
    const registerOrder = [EAX, ECX, EDX, EBX];
    for (let r = 0; r < 4; r++) {
      let bits = 0xffffffff;
      for (const [reg, undefinedBits] of step.undefinedRegBits) {
        if (reg === registerOrder[r]) bits &= ~undefinedBits;
      }
      if (((manualRegs[r]! ^ qemuRegs[r]!) & bits) !== 0) differs = true;
    }
    if (differs) {
      disagreements.push({
        step: i,
        text: step.text,
        manualRegs: manualRegs.map((v) => v >>> 0) as [number, number, number, number],
        manualFlags: manual.flags,
        qemuRegs,
        qemuFlags: qemu.eflags,
      });
    }
  }
  return disagreements;
}
