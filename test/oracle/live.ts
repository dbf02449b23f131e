// The live oracle re-check, for CI: runs the real tools instead of the committed fixtures.
//   1. Fresh random streams: new seeds (printed), generated, assembled with nasm + ld, run under
//      qemu-i386 and under sterna, compared step by step under the defined-flag masks.
//   2. The committed fixtures re-verified against qemu-i386: each stream's source (and the
//      sweep's) is what the generator makes, and the committed and re-assembled ELFs still print
//      the committed dumps; the sweep's fresh qemu results still agree with the manual's
//      pseudocode (streams/manual-model.ts); each C program (committed binary and a fresh gcc build) and each fault
//      program and hand-written program still gives the recorded output and status (so a stale
//      fixture is caught).
// Exits 1 on any mismatch, printing the command that replays it. Without nasm/qemu-i386/gcc it
// skips (exit 0) with a message, unless CI is set: then missing tools are a failure (exit 2).
//
// Usage: npx tsx test/oracle/live.ts [--seed S] [--programs N] [--steps N]
//   --seed S      replay one stream program (skips everything else)
//   --programs N  fresh stream programs to run (default 20)
//   --steps N     steps per fresh program (default 2000)

import { randomInt } from "node:crypto";
import { readFileSync } from "node:fs";
import {
  buildImagePath,
  buildName,
  cPrograms,
  loadExpectedRuns,
  optimisationLevels,
  programSource,
  runtimeSources,
} from "./c/c-fixtures.ts";
import {
  faultCases,
  faultImagePath,
  faultSourcePath,
  loadRecordedFaults,
} from "./faults/fault-cases.ts";
import { resolveAddress } from "./faults/resolve-address.ts";
import {
  handwrittenImagePath,
  handwrittenPrograms,
  handwrittenSourcePath,
  loadHandwrittenExpected,
} from "./handwritten/handwritten-programs.ts";
import { describeEnd, runUnderSterna } from "./run-sterna.ts";
import { buildStream } from "./streams/build-stream.ts";
import { compareStreamOutputs } from "./streams/compare-dumps.ts";
import { generateStream } from "./streams/generate.ts";
import { crossCheckSweep } from "./streams/manual-check.ts";
import { formatSteps } from "./streams/steps-file.ts";
import {
  loadStreamFixture,
  STREAM_FIXTURE_SEEDS,
  STREAM_STEPS_PER_PROGRAM,
  type StreamFixture,
  SWEEP_FIXTURE_NAME,
  seedFixtureName,
} from "./streams/stream-fixtures.ts";
import { generateSweep } from "./streams/sweep.ts";
import { assembleFile, assembleProgram, compileC, missingTools, runQemu } from "./toolchain.ts";

interface Options {
  seed?: number;
  programs: number;
  steps: number;
}

function parseOptions(args: string[]): Options {
  const options: Options = { programs: 20, steps: 2000 };
  for (let i = 0; i < args.length; i++) {
    const flag = args[i]!;
    const value = Number(args[i + 1]);
    if (!["--seed", "--programs", "--steps"].includes(flag)) {
      throw new Error(`unknown option ${flag} (expected --seed S, --programs N, --steps N)`);
    }
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
      throw new Error(`${flag} needs a non-negative integer, got "${args[i + 1] ?? ""}"`);
    }
    if (flag === "--seed") options.seed = value;
    else if (flag === "--programs") options.programs = value;
    else options.steps = value;
    i++;
  }
  return options;
}

const failures: string[] = [];

function fail(message: string): void {
  failures.push(message);
  console.log(`MISMATCH ${message}`);
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("latin1");
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

function checkFreshStream(seed: number, steps: number): void {
  const replay = `npx tsx test/oracle/live.ts --seed ${seed} --steps ${steps}`;
  let built: ReturnType<typeof buildStream>;
  try {
    built = buildStream(seed, steps);
  } catch (error) {
    fail(
      `stream seed ${seed}: could not build it under qemu-i386: ${(error as Error).message}\n  replay: ${replay}`,
    );
    return;
  }
  const result = runUnderSterna(built.image, `stream-${seed}`);
  const comparison = compareStreamOutputs(
    `seed ${seed}`,
    built.steps,
    built.qemuOutput,
    result.stdout,
    replay,
  );
  if (comparison.failedStep >= 0) {
    fail(`${comparison.report}\n  sterna's run: ${describeEnd(result)}`);
  } else if (result.status !== 0) {
    fail(`stream seed ${seed}: sterna exited with ${describeEnd(result)}\n  replay: ${replay}`);
  } else {
    console.log(`ok stream seed ${seed}: ${built.steps.length} steps agree`);
  }
}

/** The committed dumps must still be what qemu-i386 prints for the committed and fresh ELFs. */
function qemuStillAgrees(fixture: StreamFixture): boolean {
  const committed = runQemu(fixture.image, fixture.name);
  const reassembled = runQemu(assembleProgram(fixture.source), fixture.name);
  return (
    sameBytes(committed.stdout, fixture.qemuOutput) &&
    sameBytes(reassembled.stdout, fixture.qemuOutput)
  );
}

function recheckStreamFixtures(): void {
  const rerecord = "npx tsx test/oracle/record.ts streams";
  for (const seed of STREAM_FIXTURE_SEEDS) {
    const fixture = loadStreamFixture(seedFixtureName(seed));
    const program = generateStream(seed, STREAM_STEPS_PER_PROGRAM);
    if (
      program.source !== fixture.source ||
      formatSteps(seed, program.steps) !== formatSteps(seed, fixture.steps)
    ) {
      fail(
        `stream fixture ${fixture.name}: the generator no longer produces the committed program\n  rerecord: ${rerecord}`,
      );
    } else if (!qemuStillAgrees(fixture)) {
      fail(
        `stream fixture ${fixture.name}: qemu-i386's dumps differ from the committed ones\n  rerecord: ${rerecord}`,
      );
    } else {
      console.log(`ok stream fixture ${fixture.name}`);
    }
  }
  const sweep = loadStreamFixture(SWEEP_FIXTURE_NAME);
  const program = generateSweep();
  if (program.source !== sweep.source) {
    fail(
      `stream fixture sweep: the generator no longer produces the committed program\n  rerecord: ${rerecord}`,
    );
  } else if (!qemuStillAgrees(sweep)) {
    fail(
      `stream fixture sweep: qemu-i386's dumps differ from the committed ones\n  rerecord: ${rerecord}`,
    );
  } else {
    const fresh = runQemu(sweep.image, sweep.name).stdout;
    const disagreements = crossCheckSweep(program, fresh);
    if (disagreements.length > 0) {
      const first = disagreements[0]!;
      fail(
        `sweep: qemu-i386 departs from the manual in ${disagreements.length} steps, first step ${first.step}: ${first.text}\n  details: ${rerecord}`,
      );
    } else {
      console.log("ok stream fixture sweep (and qemu-i386 agrees with the manual's pseudocode)");
    }
  }
}

function recheckCFixtures(): void {
  const expected = loadExpectedRuns();
  const rerecord = "npx tsx test/oracle/record.ts c";
  for (const program of cPrograms) {
    for (const optimisation of optimisationLevels) {
      const name = buildName(program, optimisation);
      const want = expected[name];
      if (!want) {
        fail(`c ${name}: no recorded run\n  rerecord: ${rerecord}`);
        continue;
      }
      const fresh = compileC([programSource(program), ...runtimeSources], optimisation);
      const runs = {
        "committed binary under qemu-i386": runQemu(
          new Uint8Array(readFileSync(buildImagePath(name))),
          name,
        ),
        "fresh gcc build under qemu-i386": runQemu(fresh, name),
        "fresh gcc build under sterna": runUnderSterna(fresh, name),
      };
      let agreed = true;
      for (const [what, run] of Object.entries(runs)) {
        if (run.status !== want.status || latin1(run.stdout) !== want.stdout) {
          fail(
            `c ${name}: ${what} gave status ${run.status} and ${run.stdout.length} bytes, recorded ${want.status} and ${want.stdout.length} bytes\n  rerecord (if the source changed): ${rerecord}`,
          );
          agreed = false;
        }
      }
      if (agreed) console.log(`ok c ${name}`);
    }
  }
}

function recheckFaultFixtures(): void {
  const recorded = loadRecordedFaults();
  const rerecord = "npx tsx test/oracle/record.ts faults";
  for (const fault of faultCases) {
    const want = recorded[fault.program];
    const committed = new Uint8Array(readFileSync(faultImagePath(fault.program)));
    const fresh = assembleFile(faultSourcePath(fault.program));
    const qemu = runQemu(committed, fault.program);
    const freshEip = resolveAddress(fault.eip, fresh);
    if (
      !want ||
      qemu.status !== want.status ||
      latin1(qemu.stdout) !== want.stdout ||
      freshEip !== want.eip
    ) {
      fail(
        `fault ${fault.program}: qemu-i386 or nm no longer match the recorded status/output/eip\n  rerecord: ${rerecord}`,
      );
      continue;
    }
    console.log(`ok fault ${fault.program}`);
  }
}

function recheckHandwrittenFixtures(): void {
  const expected = loadHandwrittenExpected();
  const rerecord = "npx tsx test/oracle/record.ts handwritten";
  for (const program of handwrittenPrograms) {
    const want = expected[program];
    const committed = new Uint8Array(readFileSync(handwrittenImagePath(program)));
    const fresh = assembleFile(handwrittenSourcePath(program));
    const runs = [
      runQemu(committed, program),
      runQemu(fresh, program),
      runUnderSterna(fresh, program),
    ];
    if (
      !want ||
      runs.some((run) => run.status !== want.status || latin1(run.stdout) !== want.stdout)
    ) {
      fail(
        `handwritten ${program}: qemu-i386 (committed or fresh build) or sterna (fresh build) no longer give the recorded output and status\n  rerecord (if the source changed): ${rerecord}`,
      );
      continue;
    }
    console.log(`ok handwritten ${program}`);
  }
}

function main(): void {
  let options: Options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`live: ${(error as Error).message}`);
    process.exit(2);
  }
  const missing = missingTools();
  if (missing.length > 0) {
    const ci = process.env.CI !== undefined && process.env.CI !== "" && process.env.CI !== "false";
    if (ci) {
      console.error(
        `live: FAILED: CI is set but these host tools are missing: ${missing.join(", ")}`,
      );
      process.exit(2);
    }
    console.log(
      `live: skipped: host tools missing (${missing.join(", ")}); install nasm, binutils, gcc-multilib and qemu-user, or set CI=true to make this an error`,
    );
    process.exit(0);
  }
  const started = performance.now();
  if (options.seed !== undefined) {
    checkFreshStream(options.seed, options.steps);
  } else {
    for (let i = 0; i < options.programs; i++)
      checkFreshStream(randomInt(0x1_0000_0000), options.steps);
    recheckStreamFixtures();
    recheckCFixtures();
    recheckFaultFixtures();
    recheckHandwrittenFixtures();
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (failures.length > 0) {
    console.log(`live: ${failures.length} mismatch(es) in ${seconds} s (see MISMATCH lines above)`);
    process.exit(1);
  }
  console.log(`live: everything agrees (${seconds} s)`);
}

main();
