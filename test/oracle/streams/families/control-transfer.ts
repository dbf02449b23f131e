// Control transfer families: CALL (direct, through a register, through memory) into a small
// subroutine that returns with RET or RET imm16, JMP through a register or through memory, CALL
// to the next instruction (its return address stays pushed), and ENTER/LEAVE pairs. Targets are
// local labels, so both sides run the same addresses.

import { labelPlus } from "../memory-regions.ts";
import { hex, randomReg, randomValue, reg32Names, regName } from "../registers.ts";
import type { StreamBuilder } from "../stream-builder.ts";
import { STACK_DEPTH_MAX_BYTES } from "../stream-builder.ts";

/** A flag-neutral instruction whose effect shows in the dump (or does not, when skipped). */
function marker(b: StreamBuilder): string {
  const reg = regName(randomReg(b.prng, 32));
  return b.prng.chance(0.5) ? `not ${reg}` : `mov ${reg}, ${hex(randomValue(b.prng, 32))}`;
}

/** Where an indirect transfer finds its target: a register or a dword in the window. */
function indirectTarget(
  b: StreamBuilder,
  label: string,
): { setup: string[]; operand: string; viaWindow: boolean } {
  if (b.prng.chance(0.5)) {
    const reg = reg32Names[randomReg(b.prng, 32).index]!;
    return { setup: [`mov ${reg}, ${label}`], operand: reg, viaWindow: false };
  }
  const slot = labelPlus("window", 4 * b.prng.below(16));
  return { setup: [`mov dword [${slot}], ${label}`], operand: `dword [${slot}]`, viaWindow: true };
}

function emitSubroutineCall(b: StreamBuilder): void {
  const { prng } = b;
  const sub = b.newLabel();
  const after = b.newLabel();
  // RET imm16 also drops that many bytes the stream pushed earlier.
  const depth = b.stackDepthBytes;
  const releaseBytes = prng.pick([0, 0, 2, 4, 8].filter((n) => n <= depth));
  const ret = releaseBytes === 0 && prng.chance(0.7) ? "ret" : `ret ${releaseBytes}`;
  const kind = prng.pick(["direct", "indirect"] as const);
  const target = kind === "direct" ? undefined : indirectTarget(b, sub);
  const call = target ? `call ${target.operand}` : `call ${sub}`;
  b.emit({
    setup: target?.setup ?? [],
    lines: [call, `jmp ${after}`, `${sub}:`, marker(b), ret, `${after}:`],
    mnemonic: "call",
    context: { widthBits: 32 },
    writesWindow: target?.viaWindow ?? false,
  });
  b.popped(releaseBytes);
}

function emitIndirectJump(b: StreamBuilder): void {
  const label = b.newLabel();
  const target = indirectTarget(b, label);
  b.emit({
    setup: target.setup,
    lines: [`jmp ${target.operand}`, marker(b), `${label}:`],
    mnemonic: "jmp",
    context: { widthBits: 32 },
    writesWindow: target.viaWindow,
  });
}

function emitCallNext(b: StreamBuilder): void {
  const label = b.newLabel();
  b.emit({ lines: [`call ${label}`, `${label}:`], mnemonic: "call", context: { widthBits: 32 } });
  b.pushed(4, false);
}

/** ENTER then LEAVE at once: EBP is random in between steps, so LEAVE cannot wait. */
function emitEnterLeave(b: StreamBuilder): void {
  const frameBytes = 4 * b.prng.below(12);
  const level = b.prng.below(2);
  b.emit({
    lines: [`enter ${frameBytes}, ${level}`],
    mnemonic: "enter",
    context: { widthBits: 32 },
  });
  b.emit({ lines: ["leave"], mnemonic: "leave", context: { widthBits: 32 } });
}

export function emitControlTransfer(b: StreamBuilder): void {
  const roll = b.prng.below(4);
  if (roll === 0) emitSubroutineCall(b);
  else if (roll === 1) emitIndirectJump(b);
  else if (roll === 2 && b.stackDepthBytes + 4 <= STACK_DEPTH_MAX_BYTES) emitCallNext(b);
  else emitEnterLeave(b);
}
