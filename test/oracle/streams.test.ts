// Random instruction streams (streams/generate.ts) run under sterna must dump the same registers,
// flags and window as they did under qemu-i386, compared under the Intel manual's defined-flag
// masks (streams/defined-flags.ts). A failure names the seed, the step, the instruction, its
// inputs, expected and got. Fixtures: streams/fixtures (rebuild with test/oracle/record.ts).

import { describe, expect, it } from "vitest";
import { describeEnd, runUnderSterna } from "./run-sterna.ts";
import { compareStreamOutputs } from "./streams/compare-dumps.ts";
import { parseDumps } from "./streams/dump-records.ts";
import { generateStream } from "./streams/generate.ts";
import { formatSteps } from "./streams/steps-file.ts";
import {
  loadStreamFixture,
  STREAM_FIXTURE_SEEDS,
  STREAM_STEPS_PER_PROGRAM,
  streamFixturePaths,
} from "./streams/stream-fixtures.ts";

describe("stream fixtures", () => {
  it.each(STREAM_FIXTURE_SEEDS)(
    "seed %i: qemu's output holds exactly one dump per step",
    (seed) => {
      const fixture = loadStreamFixture(seed);
      const dumps = parseDumps(fixture.qemuOutput, fixture.steps);
      expect(dumps.states.length).toBe(fixture.steps.length);
      expect(dumps.trailingBytes).toBe(0);
    },
  );

  it.each(STREAM_FIXTURE_SEEDS)(
    "seed %i: the generator still produces the committed program",
    (seed) => {
      const fixture = loadStreamFixture(seed);
      const program = generateStream(seed, STREAM_STEPS_PER_PROGRAM);
      const paths = streamFixturePaths(seed);
      const stale = `stale fixture ${paths.source}: rerun npx tsx test/oracle/record.ts streams`;
      expect(program.source, stale).toBe(fixture.source);
      expect(formatSteps(seed, program.steps), stale).toBe(formatSteps(seed, fixture.steps));
    },
  );
});

describe("random instruction streams: sterna vs qemu-i386", () => {
  it.each(STREAM_FIXTURE_SEEDS)("seed %i", (seed) => {
    const fixture = loadStreamFixture(seed);
    const result = runUnderSterna(fixture.image, `stream-${seed}`);
    const replay = `npx vitest run test/oracle/streams.test.ts -t "seed ${seed}$"`;
    const comparison = compareStreamOutputs(
      seed,
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
