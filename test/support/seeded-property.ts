// Runs a fast-check property from a seed and, on failure, prints the one line that replays
// it: `replay: STERNA_SEED=<seed> npx vitest run <file>` (fast-check's own seed and path
// stay in the message too). STERNA_SEED=<n> replays a run exactly; without it each run
// draws a fresh seed.

import fc from "fast-check";

/** STERNA_SEED when set, else a fresh seed. */
export function propertySeed(): number {
  const fromEnv = process.env.STERNA_SEED;
  if (fromEnv !== undefined && fromEnv !== "") return Number(fromEnv) | 0;
  return (Math.random() * 0x7fffffff) | 0;
}

export interface PropertyOptions {
  /** A seed drawn once for the whole file (to name it in the describe title). */
  readonly seed?: number;
  readonly verbose?: fc.VerbosityLevel;
}

export function checkProperty<Ts>(
  property: fc.IProperty<Ts>,
  testFile: string,
  numRuns: number,
  options: PropertyOptions = {},
): void {
  const seed = options.seed ?? propertySeed();
  try {
    fc.assert(property, { seed, numRuns, verbose: options.verbose });
  } catch (error) {
    throw failure(error, seed, testFile);
  }
}

/** checkProperty for an fc.asyncProperty: resolves, or rejects with the replay line. */
export async function checkAsyncProperty<Ts>(
  property: fc.IAsyncProperty<Ts>,
  testFile: string,
  numRuns: number,
  options: PropertyOptions = {},
): Promise<void> {
  const seed = options.seed ?? propertySeed();
  try {
    await fc.assert(property, { seed, numRuns, verbose: options.verbose });
  } catch (error) {
    throw failure(error, seed, testFile);
  }
}

/** The property's failure with what failed inside it (fast-check keeps that as the cause). */
function failure(error: unknown, seed: number, testFile: string): Error {
  const replay = `replay: STERNA_SEED=${seed} npx vitest run ${testFile}`;
  console.error(replay);
  const cause = (error as Error).cause;
  const why = cause instanceof Error ? `\nCause: ${cause.message}` : "";
  return new Error(`${(error as Error).message}${why}\n${replay}`);
}
