// Runs a fast-check property from a seed that is printed with a replay command on failure.
// STERNA_SEED=<n> replays one run exactly; without it each run draws a fresh seed.

import fc from "fast-check";

export function propertySeed(): number {
  const fromEnv = process.env.STERNA_SEED;
  if (fromEnv !== undefined && fromEnv !== "") return Number(fromEnv) | 0;
  return (Math.random() * 0x7fffffff) | 0;
}

export function assertPropertyWithSeed<Ts>(
  property: fc.IProperty<Ts>,
  testFile: string,
  numRuns: number,
): void {
  const seed = propertySeed();
  try {
    fc.assert(property, { seed, numRuns });
  } catch (error) {
    const replay = `replay: STERNA_SEED=${seed} npx vitest run ${testFile}`;
    console.error(replay);
    throw new Error(`${(error as Error).message}\n${replay}`);
  }
}
