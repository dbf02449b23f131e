// What a fuzz target is: a name, a generator that turns a seeded PRNG into one input (a
// JSON-safe description, so a finding can be printed and replayed), and a runner that feeds
// the input to sterna through the same entry point the CLI uses and says whether the host
// held: "ok", or a finding (an exception or status that the documented behaviour excludes).
// Hangs and aborts (V8 out of memory) are caught outside, by the engine's parent.

import type { Prng } from "./prng.ts";

export type RunVerdict = { ok: true } | { ok: false; finding: string };

export interface FuzzTarget<Input = unknown> {
  readonly name: string;
  readonly description: string;
  generate(rng: Prng): Input;
  run(input: Input): Promise<RunVerdict> | RunVerdict;
  /** A short text of the input, for the report. */
  summarize(input: Input): string;
  /** How many times the campaign's per-input time limit this input may take; default 1. */
  timeLimitFactor?(input: Input): number;
}

export const ok: RunVerdict = { ok: true };

export function finding(text: string): RunVerdict {
  return { ok: false, finding: text };
}

/** The one line of an unexpected exception: its class and message. */
export function describeThrown(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message.split("\n")[0]}`;
  return `thrown ${String(error)}`;
}
