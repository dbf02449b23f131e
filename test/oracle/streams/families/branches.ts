// Branch families: Jcc, JECXZ, LOOP, LOOPE, LOOPNE jumping forward over one flag-neutral
// instruction, so whether the branch was taken shows in the dumped registers.

import { hex, randomReg, randomValue, regName } from "../registers.ts";
import type { StreamBuilder } from "../stream-builder.ts";
import { randomCondition } from "./data-movement.ts";

export function emitBranch(b: StreamBuilder): void {
  const { prng } = b;
  const label = b.newLabel();
  const skipped = prng.chance(0.5)
    ? `not ${regName(randomReg(prng, 32))}`
    : `mov ${regName(randomReg(prng, 32))}, ${hex(randomValue(prng, 32))}`;
  const kind = prng.pick(["jcc", "jcc", "jcc", "jecxz", "loop", "loope", "loopne"] as const);
  const setup: string[] = [];
  // ECX decides JECXZ/LOOP: make it 0 or 1 (LOOP: 1 -> falls through) now and then.
  if (kind !== "jcc" && prng.chance(0.5)) setup.push(`mov ecx, ${prng.below(3)}`);
  let branch: string;
  let condition: string | undefined;
  if (kind === "jcc") {
    const picked = randomCondition(b);
    condition = picked.condition;
    branch = `j${picked.spelling} ${prng.chance(0.3) ? "near " : ""}${label}`;
  } else {
    branch = `${kind} ${label}`;
  }
  b.emit({
    setup,
    lines: [branch, skipped, `${label}:`],
    mnemonic: kind,
    context: { widthBits: 32, condition },
  });
}
