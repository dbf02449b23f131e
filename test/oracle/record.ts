// Rebuilds every committed oracle fixture from its source with the host tools, and records
// qemu-i386's results as the expected ones:
//   - streams/fixtures/seed-N.{asm,elf,qemu.bin,steps}: generated from each seed in
//     STREAM_FIXTURE_SEEDS (streams/stream-fixtures.ts), assembled with nasm + ld, run by qemu;
//   - streams/fixtures/sweep.{asm,elf,qemu.bin,steps}: the edge sweep (streams/sweep.ts), whose
//     qemu results must agree with the manual's pseudocode (streams/manual-model.ts) on every
//     defined flag and result: a disagreement is printed and nothing is written;
//   - c/fixtures/NAME-OLEVEL.elf + c/fixtures/expected.json: every program in c/programs built
//     with gcc -m32 at -O0, -O2 and -Os (flags in toolchain.ts) with the runtime in c/runtime,
//     and qemu's stdout and exit status for each;
//   - faults/fixtures/NAME.elf + faults/fixtures/expected.json: each faults/programs/NAME.asm,
//     qemu's status (128 + signal, as a shell reports a death by signal) and output, and the
//     faulting addresses from nm;
//   - handwritten/fixtures/NAME.elf + handwritten/fixtures/expected.json: each
//     handwritten/programs/NAME.asm and qemu's output and status.
// Needs nasm, ld, gcc (gcc-multilib), nm and qemu-i386 (Debian qemu-user).
// Run: npx tsx test/oracle/record.ts [streams|c|faults|handwritten]...   (no argument: all)
// Then run the oracle tests (npx vitest run test/oracle) and commit the fixtures.

import { mkdirSync, writeFileSync } from "node:fs";
import { hex } from "../../kernel/hex-format.ts";
import {
  buildImagePath,
  buildName,
  C_EXPECTED_PATH,
  C_FIXTURE_DIR,
  cPrograms,
  type ExpectedRun,
  optimisationLevels,
  programSource,
  runtimeSources,
} from "./c/c-fixtures.ts";
import {
  FAULT_EXPECTED_PATH,
  FAULT_FIXTURE_DIR,
  faultCases,
  faultImagePath,
  faultSourcePath,
  type RecordedFault,
} from "./faults/fault-cases.ts";
import { resolveAddress } from "./faults/resolve-address.ts";
import {
  HANDWRITTEN_EXPECTED_PATH,
  HANDWRITTEN_FIXTURE_DIR,
  handwrittenImagePath,
  handwrittenPrograms,
  handwrittenSourcePath,
} from "./handwritten/handwritten-programs.ts";
import { buildStream, buildSweep } from "./streams/build-stream.ts";
import { crossCheckSweep } from "./streams/manual-check.ts";
import {
  STREAM_FIXTURE_DIR,
  STREAM_FIXTURE_SEEDS,
  STREAM_STEPS_PER_PROGRAM,
  saveStreamFixture,
} from "./streams/stream-fixtures.ts";
import { assembleFile, compileC, missingTools, runQemu } from "./toolchain.ts";

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("latin1");
}

function recordStreams(): void {
  mkdirSync(STREAM_FIXTURE_DIR, { recursive: true });
  for (const seed of STREAM_FIXTURE_SEEDS) {
    const built = buildStream(seed, STREAM_STEPS_PER_PROGRAM);
    saveStreamFixture(built);
    console.log(`stream seed ${seed}: ${built.steps.length} dumps, ${built.image.length} byte ELF`);
  }
  const sweep = buildSweep();
  const disagreements = crossCheckSweep(sweep.program, sweep.qemuOutput);
  for (const d of disagreements) {
    console.error(
      `sweep step ${d.step}: ${d.text}\n  manual eax ecx edx ebx ${d.manualRegs.map(hex).join(" ")} ` +
        `eflags ${hex(d.manualFlags)}\n  qemu   eax ecx edx ebx ${d.qemuRegs.map(hex).join(" ")} eflags ${hex(d.qemuFlags)}`,
    );
  }
  if (disagreements.length > 0) {
    throw new Error(
      `sweep: qemu-i386 departs from the manual in ${disagreements.length} steps (above); not recorded`,
    );
  }
  saveStreamFixture(sweep);
  console.log(`sweep: ${sweep.steps.length} dumps agree with the manual's pseudocode`);
}

function recordC(): void {
  mkdirSync(C_FIXTURE_DIR, { recursive: true });
  const expected: Record<string, ExpectedRun> = {};
  for (const program of cPrograms) {
    for (const optimisation of optimisationLevels) {
      const name = buildName(program, optimisation);
      const image = compileC([programSource(program), ...runtimeSources], optimisation);
      writeFileSync(buildImagePath(name), image);
      const qemu = runQemu(image, name);
      expected[name] = { status: qemu.status, stdout: latin1(qemu.stdout) };
      console.log(`c ${name}: status ${qemu.status}, ${qemu.stdout.length} bytes of output`);
    }
  }
  writeFileSync(C_EXPECTED_PATH, `${JSON.stringify(expected, null, 2)}\n`);
}

function recordFaults(): void {
  mkdirSync(FAULT_FIXTURE_DIR, { recursive: true });
  const recorded: Record<string, RecordedFault> = {};
  for (const fault of faultCases) {
    const image = assembleFile(faultSourcePath(fault.program));
    writeFileSync(faultImagePath(fault.program), image);
    const qemu = runQemu(image, fault.program);
    const entry: RecordedFault = {
      status: qemu.status,
      stdout: latin1(qemu.stdout),
      eip: resolveAddress(fault.eip, image),
    };
    if (fault.cr2 !== undefined) entry.cr2 = resolveAddress(fault.cr2, image);
    recorded[fault.program] = entry;
    console.log(`fault ${fault.program}: status ${qemu.status}`);
  }
  writeFileSync(FAULT_EXPECTED_PATH, `${JSON.stringify(recorded, null, 2)}\n`);
}

function recordHandwritten(): void {
  mkdirSync(HANDWRITTEN_FIXTURE_DIR, { recursive: true });
  const expected: Record<string, ExpectedRun> = {};
  for (const program of handwrittenPrograms) {
    const image = assembleFile(handwrittenSourcePath(program));
    writeFileSync(handwrittenImagePath(program), image);
    const qemu = runQemu(image, program);
    expected[program] = { status: qemu.status, stdout: latin1(qemu.stdout) };
    console.log(`handwritten ${program}: status ${qemu.status}`);
  }
  writeFileSync(HANDWRITTEN_EXPECTED_PATH, `${JSON.stringify(expected, null, 2)}\n`);
}

const recorders = {
  streams: recordStreams,
  c: recordC,
  faults: recordFaults,
  handwritten: recordHandwritten,
} as const;

function main(): void {
  const missing = missingTools();
  if (missing.length > 0) {
    console.error(`record: missing host tools: ${missing.join(", ")}`);
    process.exit(2);
  }
  const chosen = process.argv.slice(2);
  for (const name of chosen) {
    if (!(name in recorders)) {
      console.error(`record: unknown part "${name}" (expected streams, c, faults or handwritten)`);
      process.exit(2);
    }
  }
  const parts = chosen.length > 0 ? chosen : Object.keys(recorders);
  for (const part of parts) recorders[part as keyof typeof recorders]();
}

main();
