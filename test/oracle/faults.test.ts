// Faulting programs (faults/programs) must die under sterna as under qemu-i386: same output
// before the fault, same exit status (128 + signal), and the exception the Intel manual
// prescribes, reported precisely (eip of the faulting instruction, error code, CR2 for #PF).
// Fixtures: faults/fixtures (rebuild with test/oracle/record.ts faults).

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { faultCases, faultImagePath, loadRecordedFaults } from "./faults/fault-cases.ts";
import { describeEnd, runUnderSterna } from "./run-sterna.ts";

const recorded = loadRecordedFaults();

describe("fault fixtures", () => {
  it("qemu-i386 recorded a death by signal for every program", () => {
    for (const fault of faultCases) {
      expect(recorded[fault.program]?.status, fault.program).toBeGreaterThan(128);
    }
  });
});

describe("faults: sterna vs qemu-i386 and the Intel manual", () => {
  it.each(faultCases.map((fault) => [fault.program, fault] as const))("%s", (program, fault) => {
    const expected = recorded[program]!;
    const image = new Uint8Array(readFileSync(faultImagePath(program)));
    const result = runUnderSterna(image, program);
    const context = `${program}: ${describeEnd(result)}`;
    expect(Buffer.from(result.stdout).toString("latin1"), context).toBe(expected.stdout);
    expect(result.status, context).toBe(expected.status);
    expect(result.fault, context).toBeDefined();
    const report = result.fault!;
    expect(report.name, context).toBe(fault.exceptionName);
    expect(report.vector, context).toBe(fault.vector);
    expect(report.eip >>> 0, context).toBe(expected.eip);
    expect(report.errorCode, context).toBe(fault.errorCode);
    if (expected.cr2 !== undefined) expect((report.cr2 ?? -1) >>> 0, context).toBe(expected.cr2);
  });
});
