// Builds one stream program end to end with the host tools: generate from the seed, assemble and
// link with nasm + ld, run under qemu-i386, and check qemu's output holds exactly one dump per
// step (anything else means the generator emitted something that faults or exits early).

import { assembleProgram, runQemu } from "../toolchain.ts";
import { parseDumps } from "./dump-records.ts";
import { generateStream } from "./generate.ts";
import { formatSteps } from "./steps-file.ts";
import type { StreamFixture } from "./stream-fixtures.ts";

export interface BuiltStream extends StreamFixture {
  stepsText: string;
}

export function buildStream(seed: number, stepCount: number): BuiltStream {
  const program = generateStream(seed, stepCount);
  const image = assembleProgram(program.source);
  const qemu = runQemu(image, `stream-${seed}`);
  const dumps = parseDumps(qemu.stdout, program.steps);
  if (
    qemu.status !== 0 ||
    dumps.states.length !== program.steps.length ||
    dumps.trailingBytes !== 0
  ) {
    throw new Error(
      `seed ${seed}: qemu-i386 exited ${qemu.status} after ${dumps.states.length} of ` +
        `${program.steps.length} dumps (+${dumps.trailingBytes} bytes): ${qemu.stderr.trim()}`,
    );
  }
  return {
    seed,
    source: program.source,
    image,
    qemuOutput: qemu.stdout,
    steps: program.steps,
    stepsText: formatSteps(seed, program.steps),
  };
}
