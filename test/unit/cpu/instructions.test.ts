// Each focused instruction case (instruction-cases.ts) runs under sterna from the same
// bytes qemu-i386 ran, and the registers, EFLAGS (the flags the manual defines) and the
// scratch memory must equal qemu-i386's. Every case runs twice: interpreted, and compiled
// into blocks from its first execution.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createGuestMachine, hexBytes } from "./guest-machine.ts";
import { ALL, instructionCases } from "./instruction-cases.ts";
import { runWithSyscalls } from "./linux-syscalls.ts";

interface Recorded {
  name: string;
  defined: number;
  image: string;
  expected: string;
}

const recorded: Recorded[] = JSON.parse(
  readFileSync(join(import.meta.dirname, "fixtures", "instruction-cases.json"), "utf8"),
);
const codeOf = new Map(instructionCases.map((c) => [c.name, c.code]));
const registerNames = ["edi", "esi", "ebp", "esp", "ebx", "edx", "ecx", "eax"];

function describeDump(dump: Uint8Array): string {
  const view = new DataView(dump.buffer, dump.byteOffset);
  const regs = registerNames.map((n, i) => `${n}=${view.getUint32(i * 4, true).toString(16)}`);
  return `${regs.join(" ")} eflags=${view.getUint32(32, true).toString(16)}`;
}

function runCase(record: Recorded, compileThreshold: number): Uint8Array {
  const image = hexBytes(record.image);
  const machine = createGuestMachine(image, { compileThreshold });
  machine.cpu.eip = new DataView(Uint8Array.from(image).buffer).getUint32(24, true);
  const run = runWithSyscalls(machine);
  expect(run.exceptionVector, `${record.name}: stopped by an exception`).toBeUndefined();
  return run.output;
}

describe.each([
  ["interpreted", 0],
  ["compiled", 1],
])("instruction cases vs qemu-i386 (%s)", (_mode, compileThreshold) => {
  it("has the recorded cases of instruction-cases.ts", () => {
    expect(recorded.map((r) => r.name)).toEqual(instructionCases.map((c) => c.name));
  });

  for (const record of recorded) {
    it(record.name, () => {
      const got = runCase(record, compileThreshold);
      const expected = Uint8Array.from(hexBytes(record.expected));
      const context = `${record.name}\n${codeOf.get(record.name)}\nexpected ${describeDump(expected)}\ngot      ${describeDump(got)}`;
      expect(got.length, context).toBe(expected.length);
      const gotView = new DataView(got.buffer);
      const expectedView = new DataView(expected.buffer);
      for (let i = 0; i < 8; i++) {
        expect(gotView.getUint32(i * 4, true), `${registerNames[i]}: ${context}`).toBe(
          expectedView.getUint32(i * 4, true),
        );
      }
      const compared = ~(ALL & ~record.defined) >>> 0;
      expect(
        ((gotView.getUint32(32, true) & compared) >>> 0).toString(16),
        `eflags: ${context}`,
      ).toBe(((expectedView.getUint32(32, true) & compared) >>> 0).toString(16));
      expect(Buffer.from(got.subarray(36)).toString("hex"), `scratch memory: ${context}`).toBe(
        Buffer.from(expected.subarray(36)).toString("hex"),
      );
    });
  }
});
