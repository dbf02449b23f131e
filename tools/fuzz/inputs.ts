// Input number `index` of a target under a seed: a pure function of the three, so a finding
// replays from its line alone.

import { mixSeed, nameSeed, Prng } from "./prng.ts";
import type { FuzzTarget } from "./target.ts";

export function generateInput<Input>(
  target: FuzzTarget<Input>,
  seed: number,
  index: number,
): Input {
  return target.generate(new Prng(mixSeed(seed, nameSeed(target.name), index)));
}
