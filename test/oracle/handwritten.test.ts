// Hand-written programs (handwritten/programs: self-modifying code, page-crossing accesses) must
// print the same bytes and exit with the same status under sterna as under qemu-i386.
// Fixtures: handwritten/fixtures (rebuild with npx tsx test/oracle/record.ts handwritten).

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  handwrittenImagePath,
  handwrittenPrograms,
  loadHandwrittenExpected,
} from "./handwritten/handwritten-programs.ts";
import { describeEnd, runUnderSterna } from "./run-sterna.ts";

const expectedRuns = loadHandwrittenExpected();

describe("hand-written programs: sterna vs qemu-i386", () => {
  it.each(handwrittenPrograms)("%s", (program) => {
    const expected = expectedRuns[program];
    expect(expected, `no recorded run for ${program}`).toBeDefined();
    const image = new Uint8Array(readFileSync(handwrittenImagePath(program)));
    const result = runUnderSterna(image, program);
    const context = `${program}: ${describeEnd(result)}`;
    expect(Buffer.from(result.stdout).toString("latin1"), context).toBe(expected!.stdout);
    expect(result.status, context).toBe(expected!.status);
  });
});
