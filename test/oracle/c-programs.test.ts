// C programs (c/programs, built by gcc -m32 at -O0, -O2 and -Os with c/runtime) must print the
// same bytes and exit with the same status under sterna as under qemu-i386. Fixtures:
// c/fixtures (rebuild with test/oracle/record.ts c).

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  buildImagePath,
  buildName,
  cPrograms,
  loadExpectedRuns,
  optimisationLevels,
} from "./c/c-fixtures.ts";
import { describeEnd, runUnderSterna } from "./run-sterna.ts";

const expectedRuns = loadExpectedRuns();
const builds = cPrograms.flatMap((program) =>
  optimisationLevels.map((optimisation) => buildName(program, optimisation)),
);

describe("C fixtures", () => {
  it("every program has a recorded run at every optimisation level", () => {
    expect(Object.keys(expectedRuns).sort()).toEqual([...builds].sort());
  });

  it("some programs exit with a non-zero status", () => {
    const statuses = new Set(Object.values(expectedRuns).map((run) => run.status));
    expect(statuses.has(0)).toBe(true);
    expect(statuses.size).toBeGreaterThan(3);
  });
});

describe("C programs: sterna vs qemu-i386", () => {
  it.each(builds)("%s", (name) => {
    const expected = expectedRuns[name]!;
    const image = new Uint8Array(readFileSync(buildImagePath(name)));
    const result = runUnderSterna(image, name);
    const stdout = Buffer.from(result.stdout).toString("latin1");
    expect(stdout, `${name}: ${describeEnd(result)}`).toBe(expected.stdout);
    expect(result.status, `${name}: ${describeEnd(result)}`).toBe(expected.status);
  });
});
