// CPU benchmark: runs a CPU-bound gcc -m32 -O2 program (tools/bench/programs/cpu-bench.c:
// prime sieve, CRC-32, quicksort, integer matrix product, byte scanning) under sterna
// through runExecutable, and under qemu-i386 when it is installed, then prints sterna's
// guest MIPS, both wall times and their ratio. The committed binary is used, so neither gcc
// nor qemu is needed; --rebuild recompiles it first (needs gcc-multilib).
// Run: npm run bench -- [--rounds N] [--runs N] [--rebuild]

import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { runExecutable } from "../../kernel/run-executable.ts";

const programs = join(import.meta.dirname, "programs");
const source = join(programs, "cpu-bench.c");
const binary = join(programs, "cpu-bench.elf");
const gccFlags = [
  "-m32",
  "-O2",
  "-static",
  "-nostdlib",
  "-ffreestanding",
  "-fno-pic",
  "-no-pie",
  "-fno-stack-protector",
];

const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "20" },
    runs: { type: "string", default: "3" },
    rebuild: { type: "boolean", default: false },
  },
});
const rounds = Number(values.rounds);
const runs = Number(values.runs);
if (!Number.isInteger(rounds) || rounds < 1 || !Number.isInteger(runs) || runs < 1) {
  console.error("bench: --rounds and --runs must be positive integers");
  process.exit(2);
}

if (values.rebuild) {
  execFileSync("gcc", [...gccFlags, "-o", binary, source], { stdio: "inherit" });
}
const image = new Uint8Array(readFileSync(binary));
const argv = ["cpu-bench", String(rounds)];

interface Measurement {
  wallMs: number;
  stdout: string;
}

function runSterna(): Measurement & { instructions: number; cycles: number } {
  const startMs = performance.now();
  const result = runExecutable(image, { argv });
  const wallMs = performance.now() - startMs;
  if (result.status !== 0) {
    throw new Error(`sterna: cpu-bench exited with status ${result.status}`);
  }
  return {
    wallMs,
    stdout: Buffer.from(result.stdout).toString("latin1"),
    instructions: result.instructions,
    cycles: result.cycles,
  };
}

function runQemu(): Measurement | undefined {
  const startMs = performance.now();
  const run = spawnSync("qemu-i386", [binary, String(rounds)], { encoding: "latin1" });
  const wallMs = performance.now() - startMs;
  if (run.error) return undefined;
  if (run.status !== 0) throw new Error(`qemu-i386: cpu-bench exited with status ${run.status}`);
  return { wallMs, stdout: run.stdout };
}

/** The best of `runs` runs: the least disturbed by other load on the host. */
function best<T extends Measurement>(measure: () => T | undefined): T | undefined {
  let fastest: T | undefined;
  for (let i = 0; i < runs; i++) {
    const m = measure();
    if (m === undefined) return undefined;
    if (fastest === undefined || m.wallMs < fastest.wallMs) fastest = m;
  }
  return fastest;
}

const sterna = best(runSterna)!;
const mips = sterna.instructions / sterna.wallMs / 1000;
console.log(
  `program:      tools/bench/programs/cpu-bench.elf ${rounds} (gcc ${gccFlags.join(" ")})`,
);
console.log(`sterna:       ${sterna.stdout.trim()}`);
console.log(
  `sterna:       ${sterna.instructions} instructions, ${sterna.cycles} cycles, ` +
    `${sterna.wallMs.toFixed(0)} ms wall (best of ${runs}), ${mips.toFixed(1)} guest MIPS`,
);
const qemu = best(runQemu);
if (qemu === undefined) {
  console.log("qemu-i386:    not installed, no comparison");
} else {
  console.log(
    `qemu-i386:    ${qemu.stdout.trim()}, ${qemu.wallMs.toFixed(0)} ms wall (best of ${runs})`,
  );
  console.log(
    `ratio:        sterna takes ${(sterna.wallMs / qemu.wallMs).toFixed(1)}x qemu-i386's wall time`,
  );
  if (qemu.stdout !== sterna.stdout) {
    console.error("bench: sterna and qemu-i386 printed different checksums");
    process.exitCode = 1;
  }
}
console.log(`rerun:        npm run bench -- --rounds ${rounds} --runs ${runs}`);
