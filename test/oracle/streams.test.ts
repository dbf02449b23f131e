// Random instruction streams (streams/generate.ts) and the edge sweep (streams/sweep.ts) run
// under sterna must dump the same registers, flags and window as they did under qemu-i386,
// compared under the Intel manual's defined-flag masks (streams/defined-flags.ts). A failure
// names the program, the step, the instruction, its inputs, expected and got. The sweep's qemu
// dumps are also checked against the manual's pseudocode (streams/manual-model.ts), so the
// expected values are the manual's wherever it defines them. Fixtures: streams/fixtures
// (rebuild with npx tsx test/oracle/record.ts streams).

import { describe, expect, it } from "vitest";
import { describeEnd, runUnderSterna } from "./run-sterna.ts";
import { compareStreamOutputs } from "./streams/compare-dumps.ts";
import { parseDumps } from "./streams/dump-records.ts";
import { generateStream } from "./streams/generate.ts";
import { crossCheckSweep } from "./streams/manual-check.ts";
import { formatSteps } from "./streams/steps-file.ts";
import {
  loadStreamFixture,
  STREAM_FIXTURE_SEEDS,
  STREAM_STEPS_PER_PROGRAM,
  SWEEP_FIXTURE_NAME,
  seedFixtureName,
} from "./streams/stream-fixtures.ts";
import { generateSweep } from "./streams/sweep.ts";

const programs = [...STREAM_FIXTURE_SEEDS.map(seedFixtureName), SWEEP_FIXTURE_NAME];
const rerecord = "npx tsx test/oracle/record.ts streams";

describe("stream fixtures", () => {
  it.each(programs)("%s: qemu's output holds exactly one dump per step", (name) => {
    const fixture = loadStreamFixture(name);
    const dumps = parseDumps(fixture.qemuOutput, fixture.steps);
    expect(dumps.states.length).toBe(fixture.steps.length);
    expect(dumps.trailingBytes).toBe(0);
  });

  it.each(STREAM_FIXTURE_SEEDS)(
    "seed-%i: the generator still produces the committed program",
    (seed) => {
      const fixture = loadStreamFixture(seedFixtureName(seed));
      const program = generateStream(seed, STREAM_STEPS_PER_PROGRAM);
      const stale = `stale fixture ${fixture.name}: rerun ${rerecord}`;
      expect(program.source, stale).toBe(fixture.source);
      expect(formatSteps(seed, program.steps), stale).toBe(formatSteps(seed, fixture.steps));
    },
  );

  it("sweep: the generator still produces the committed program", () => {
    const fixture = loadStreamFixture(SWEEP_FIXTURE_NAME);
    const program = generateSweep();
    const stale = `stale fixture sweep: rerun ${rerecord}`;
    expect(program.source, stale).toBe(fixture.source);
    expect(formatSteps(fixture.seed, program.steps), stale).toBe(
      formatSteps(fixture.seed, fixture.steps),
    );
  });

  it("sweep: qemu-i386's recorded results are the manual's wherever the manual defines them", () => {
    const fixture = loadStreamFixture(SWEEP_FIXTURE_NAME);
    const disagreements = crossCheckSweep(generateSweep(), fixture.qemuOutput);
    const listed = disagreements.slice(0, 10).map((d) => `step ${d.step}: ${d.text}`);
    expect(listed).toEqual([]);
  });
});

describe("instruction streams: sterna vs qemu-i386", () => {
  it.each(programs)("%s", (name) => {
    const fixture = loadStreamFixture(name);
    const result = runUnderSterna(fixture.image, name);
    const replay = `npx vitest run test/oracle/streams.test.ts -t "${name}$"`;
    const label = name === SWEEP_FIXTURE_NAME ? "sweep" : `seed ${fixture.seed}`;
    const comparison = compareStreamOutputs(
      label,
      fixture.steps,
      fixture.qemuOutput,
      result.stdout,
      replay,
    );
    if (comparison.failedStep >= 0) {
      expect.fail(`${comparison.report}\n  sterna's run: ${describeEnd(result)}`);
    }
    expect(result.status, describeEnd(result)).toBe(0);
  });
});
