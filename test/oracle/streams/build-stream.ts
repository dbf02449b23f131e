// Builds stream programs end to end with the host tools: generate (a random stream from its
// seed, or the sweep), assemble and link with nasm + ld, run under qemu-i386, and check qemu's
// output holds exactly one dump per step (anything else means the generator emitted something
// that faults or exits early).

import { assembleProgram, runQemu } from "../toolchain.ts";
import { parseDumps } from "./dump-records.ts";
import { generateStream } from "./generate.ts";
import type { StepRecord } from "./stream-builder.ts";
import { type StreamFixture, SWEEP_FIXTURE_NAME, seedFixtureName } from "./stream-fixtures.ts";
import { generateSweep, SWEEP_SEED, type SweepProgram } from "./sweep.ts";

function build(name: string, seed: number, source: string, steps: StepRecord[]): StreamFixture {
  const image = assembleProgram(source);
  const qemu = runQemu(image, name);
  const dumps = parseDumps(qemu.stdout, steps);
  if (qemu.status !== 0 || dumps.states.length !== steps.length || dumps.trailingBytes !== 0) {
    throw new Error(
      `${name}: qemu-i386 exited ${qemu.status} after ${dumps.states.length} of ` +
        `${steps.length} dumps (+${dumps.trailingBytes} bytes): ${qemu.stderr.trim()}`,
    );
  }
  return {
    name,
    seed,
    source,
    image,
    qemuOutput: qemu.stdout,
    steps,
  };
}

export function buildStream(seed: number, stepCount: number): StreamFixture {
  const program = generateStream(seed, stepCount);
  return build(seedFixtureName(seed), seed, program.source, program.steps);
}

export function buildSweep(): StreamFixture & { program: SweepProgram } {
  const program = generateSweep();
  return { ...build(SWEEP_FIXTURE_NAME, SWEEP_SEED, program.source, program.steps), program };
}
