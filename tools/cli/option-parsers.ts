// commander argument parsers shared by the commands: each accepts a value or throws
// commander's InvalidArgumentError with a message saying what is expected, which commander
// prints as one line naming the option (`option '--last <n>' argument '0' is invalid. ...`)
// and main.ts turns into exit status 2. Every number a user gives is bounded here, so no
// option can size a buffer or a loop beyond what sterna can hold.

import { InvalidArgumentError } from "commander";

/** An integer in min..max written in decimal (no sign, exponent or fraction). */
export function integerInRange(min: number, max: number): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value)) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    }
    if (value < min || value > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    }
    return value;
  };
}

/** `exec --last N`: at most this many addresses (the CPU remembers 1024 entries of them). */
export const lastEipsMax = 10_000;
export const parseLastEips = integerInRange(1, lastEipsMax);

/** `exec --max-instructions N`: 1 up to 2^53 - 1. */
export const parseInstructionCount = integerInRange(1, Number.MAX_SAFE_INTEGER);

/**
 * `boot --time-slice CYCLES`: at least 1000 cycles (10 µs at 100 MHz; a shorter slice would
 * spend the run switching) and at most 10^9 (10 s).
 */
export const timeSliceCyclesMin = 1000;
export const timeSliceCyclesMax = 1_000_000_000;
export const parseTimeSliceCycles = integerInRange(timeSliceCyclesMin, timeSliceCyclesMax);

/** `boot --seed S`: a 32-bit unsigned seed. */
export const parseSeed = integerInRange(0, 0xffff_ffff);

const sizeUnitsBytes: Record<string, number> = { B: 1, KiB: 1024, MiB: 1024 * 1024 };

/**
 * "10MiB", "256KiB", "4096" (bytes) -> bytes, whole 4 KiB pages from `minBytes` to
 * `maxBytes`: what a process can hold (bench migration --size).
 */
export function byteSizeInRange(minBytes: number, maxBytes: number): (text: string) => number {
  const expected = `expected whole 4 KiB pages from ${minBytes / 1024} KiB to ${maxBytes / (1024 * 1024)} MiB, such as 256KiB or 10MiB`;
  return (text) => {
    const match = /^(\d+(?:\.\d+)?)\s*(B|KiB|MiB)?$/.exec(text.trim());
    if (!match) throw new InvalidArgumentError(expected);
    const bytes = Number(match[1]) * sizeUnitsBytes[match[2] ?? "B"]!;
    if (
      !Number.isSafeInteger(bytes) ||
      bytes % 4096 !== 0 ||
      bytes < minBytes ||
      bytes > maxBytes
    ) {
      throw new InvalidArgumentError(expected);
    }
    return bytes;
  };
}

const timeUnitsNs: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9 };
/** The longest virtual time an option may name: one day. */
export const durationNsMax = 86_400 * 1e9;

/** "500ms", "2s", "1000us", "250" (ns) -> ns, from 1 ns to one day. */
export function parseDurationNs(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s)?$/.exec(text.trim());
  if (!match) throw new InvalidArgumentError("expected a time such as 500ms, 2s, 1000us or 750ns");
  const ns = Math.round(Number(match[1]) * timeUnitsNs[match[2] ?? "ns"]!);
  if (ns < 1 || ns > durationNsMax) {
    throw new InvalidArgumentError("expected a time from 1ns to 86400s (one day)");
  }
  return ns;
}
