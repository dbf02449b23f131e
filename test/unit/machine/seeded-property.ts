// Runs a fast-check property from a seed and prints the command that replays it on failure.
// STERNA_SEED=<n> replays one run exactly; without it each run draws a fresh seed.

import fc from "fast-check";

export function checkProperty<Ts>(
  property: fc.IProperty<Ts>,
  testFile: string,
  numRuns: number,
): void {
  const fromEnv = process.env.STERNA_SEED;
  const seed = fromEnv ? Number(fromEnv) | 0 : (Math.random() * 0x7fffffff) | 0;
  try {
    fc.assert(property, { seed, numRuns });
  } catch (error) {
    const replay = `replay: STERNA_SEED=${seed} npx vitest run ${testFile}`;
    console.error(replay);
    throw new Error(`${(error as Error).message}\n${replay}`);
  }
}
