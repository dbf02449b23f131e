// Compares sterna's dumps of a stream program with qemu-i386's, step by step, under each step's
// masks (flags the manual leaves undefined, registers it leaves undefined). Stops at the first
// differing step (later ones follow from it) and explains it: the instruction, its inputs (the
// previous dump), expected, got, what differs, and the seed.

import { type MachineState, parseDumps } from "./dump-records.ts";
import { reg32Names } from "./registers.ts";
import type { StepRecord } from "./stream-builder.ts";

const flagNames: ReadonlyArray<[number, string]> = [
  [0x001, "CF"],
  [0x004, "PF"],
  [0x010, "AF"],
  [0x040, "ZF"],
  [0x080, "SF"],
  [0x400, "DF"],
  [0x800, "OF"],
];

function hex32(value: number): string {
  return (value >>> 0).toString(16).padStart(8, "0");
}

function flagsText(eflags: number): string {
  const set = flagNames.filter(([bit]) => eflags & bit).map(([, name]) => name);
  return `${hex32(eflags)} [${set.join(" ")}]`;
}

function stateText(state: MachineState): string {
  const regs = reg32Names.map((name, i) => `${name}=${hex32(state.regs[i]!)}`).join(" ");
  const window = state.window ? `\n      window=${Buffer.from(state.window).toString("hex")}` : "";
  return `${regs} eflags=${flagsText(state.eflags)}${window}`;
}

/** Differences between two states under a step's masks; empty when they agree. */
export function stateDifferences(
  step: StepRecord,
  expected: MachineState,
  got: MachineState,
): string[] {
  const differences: string[] = [];
  for (let i = 0; i < 8; i++) {
    let mask = 0xffffffff;
    for (const [reg, bits] of step.undefinedRegBits) if (reg === i) mask &= ~bits;
    const diff = ((expected.regs[i]! ^ got.regs[i]!) & mask) >>> 0;
    if (diff !== 0) differences.push(`${reg32Names[i]} (bits ${hex32(diff)})`);
  }
  const flagDiff = (expected.eflags ^ got.eflags) & step.flagsMask;
  if (flagDiff !== 0) {
    const names = flagNames.filter(([bit]) => flagDiff & bit).map(([, name]) => name);
    differences.push(`eflags ${names.join(" ")} (compared: ${flagsText(step.flagsMask)})`);
  }
  if (expected.window && got.window) {
    for (let i = 0; i < expected.window.length; i++) {
      if (expected.window[i] !== got.window[i]) {
        differences.push(
          `window[${i}] (${expected.window[i]!.toString(16)} expected, ${got.window[i]!.toString(16)} got)`,
        );
        break;
      }
    }
  }
  return differences;
}

export interface StreamComparison {
  /** Index of the first step that differs or is missing, or -1 when everything agrees. */
  failedStep: number;
  /** The explanation, empty when everything agrees. */
  report: string;
}

/**
 * Compares sterna's stdout with qemu's for one stream program, named by `label` (e.g. "seed 3")
 * in the report. `replay` is the command that reruns this comparison.
 */
export function compareStreamOutputs(
  label: string,
  steps: readonly StepRecord[],
  expectedOutput: Uint8Array,
  gotOutput: Uint8Array,
  replay: string,
): StreamComparison {
  const expected = parseDumps(expectedOutput, steps).states;
  const got = parseDumps(gotOutput, steps).states;
  for (let i = 0; i < expected.length; i++) {
    const step = steps[i]!;
    const header = `${label}, step ${i} of ${steps.length - 1}: ${step.text}`;
    const previous =
      i > 0
        ? `  inputs (after step ${i - 1}, ${steps[i - 1]!.text}):\n    ${stateText(expected[i - 1]!)}\n`
        : "";
    if (i >= got.length) {
      const report = `${header}\n${previous}  sterna's output ended before this step's dump (${got.length} dumps of ${expected.length})\n  replay: ${replay}`;
      return { failedStep: i, report };
    }
    const differences = stateDifferences(step, expected[i]!, got[i]!);
    if (differences.length > 0) {
      const report = [
        header,
        `${previous}  expected (qemu-i386):\n    ${stateText(expected[i]!)}`,
        `  got (sterna):\n    ${stateText(got[i]!)}`,
        `  differs: ${differences.join(", ")}`,
        `  replay: ${replay}`,
      ].join("\n");
      return { failedStep: i, report };
    }
  }
  if (got.length > expected.length || gotOutput.length !== expectedOutput.length) {
    return {
      failedStep: expected.length,
      report: `${label}: sterna wrote ${gotOutput.length} bytes, qemu-i386 ${expectedOutput.length}\n  replay: ${replay}`,
    };
  }
  return { failedStep: -1, report: "" };
}
