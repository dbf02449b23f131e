// Where the committed stream fixtures live and how to load them: per program (random streams
// "seed-N", the edge sweep "sweep"), the NASM source, the linked ELF, qemu-i386's stdout (the
// dumps) and the steps file (masks + instruction text).

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { formatSteps, parseSteps } from "./steps-file.ts";
import type { StepRecord } from "./stream-builder.ts";

export const STREAM_FIXTURE_DIR = join(fileURLToPath(new URL(".", import.meta.url)), "fixtures");
/** Seeds of the committed programs; each has STREAM_STEPS_PER_PROGRAM generated steps. */
export const STREAM_FIXTURE_SEEDS: readonly number[] = [1, 2, 3, 4, 5, 6];
export const STREAM_STEPS_PER_PROGRAM = 2000;

/** File name stem of the fixture of the random stream with this seed. */
export function seedFixtureName(seed: number): string {
  return `seed-${seed}`;
}

export const SWEEP_FIXTURE_NAME = "sweep";

export interface StreamFixture {
  name: string;
  seed: number;
  source: string;
  image: Uint8Array;
  qemuOutput: Uint8Array;
  steps: StepRecord[];
}

export function streamFixturePaths(name: string) {
  const base = join(STREAM_FIXTURE_DIR, name);
  return {
    source: `${base}.asm`,
    image: `${base}.elf`,
    qemuOutput: `${base}.qemu.bin`,
    steps: `${base}.steps`,
  };
}

export function loadStreamFixture(name: string): StreamFixture {
  const paths = streamFixturePaths(name);
  const parsed = parseSteps(readFileSync(paths.steps, "utf8"), paths.steps);
  return {
    name,
    seed: parsed.seed,
    source: readFileSync(paths.source, "utf8"),
    image: new Uint8Array(readFileSync(paths.image)),
    qemuOutput: new Uint8Array(readFileSync(paths.qemuOutput)),
    steps: parsed.steps,
  };
}

export function saveStreamFixture(fixture: StreamFixture): void {
  const paths = streamFixturePaths(fixture.name);
  writeFileSync(paths.source, fixture.source);
  writeFileSync(paths.image, fixture.image);
  writeFileSync(paths.qemuOutput, fixture.qemuOutput);
  writeFileSync(paths.steps, formatSteps(fixture.seed, fixture.steps));
}
