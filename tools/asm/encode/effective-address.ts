// ModRM/SIB/displacement encoding of a memory operand, with NASM's choices: the shortest
// displacement (none, disp8, disp32; `[ebp]` needs a disp8 of 0), `[eax*1]` -> `[eax]`,
// `[eax*2]` -> `[eax+eax]`, esp moved to the base, index-only forms with disp32, and
// 16-bit addressing (`[bx+si]`, reached with a16 or 16-bit registers). An unknown (forward)
// displacement that is a plain number (`b - a`) starts as disp8, as NASM's optimiser does,
// and grows in a later pass if it does not fit; other unknown ones start long (they are
// mostly labels, which stay long), which keeps the passes few. Relocatable values take the
// long form (NASM emits a relocation, which a disp8 cannot hold, even in a flat binary).

import type { MemoryOperand } from "../instruction.ts";
import { generalRegister } from "../registers.ts";
import { fitsSignedByte, toSigned } from "./immediate-value.ts";

export type AddressSizeBits = 16 | 32;

export interface EffectiveAddress {
  readonly addressSizeBits: AddressSizeBits;
  readonly mod: number;
  readonly rm: number;
  /** The SIB byte, or -1 when there is none. */
  readonly sib: number;
  readonly dispSizeBytes: 0 | 1 | 2 | 4;
  readonly disp: number;
}

export type EffectiveAddressResult =
  | { ok: true; address: EffectiveAddress }
  | { ok: false; message: string };

const espNumber = 4;
const ebpNumber = 5;

/**
 * Encodes `mem`. `forcedAddressSizeBits` comes from an explicit a16/a32 prefix; otherwise the
 * registers decide, and a register-free address takes `defaultAddressSizeBits` (the `bits`
 * in force) unless the displacement was written `word`/`dword`.
 */
export function encodeEffectiveAddress(
  mem: MemoryOperand,
  defaultAddressSizeBits: AddressSizeBits,
  forcedAddressSizeBits: AddressSizeBits | undefined,
): EffectiveAddressResult {
  if (![1, 2, 4, 8].includes(mem.scale)) {
    return { ok: false, message: "invalid effective address: scale must be 1, 2, 4 or 8" };
  }
  const base = mem.base === undefined ? undefined : generalRegister(mem.base);
  const index = mem.index === undefined ? undefined : generalRegister(mem.index);
  if (
    (mem.base !== undefined && base === undefined) ||
    (mem.index !== undefined && index === undefined)
  ) {
    return { ok: false, message: "invalid effective address: not a general register" };
  }
  const registerSizes = new Set([base?.sizeBits, index?.sizeBits].filter((s) => s !== undefined));
  if (registerSizes.has(8) || registerSizes.size > 1) {
    return { ok: false, message: "invalid effective address" };
  }
  const registerSize = [...registerSizes][0] as AddressSizeBits | undefined;
  if (
    registerSize !== undefined &&
    forcedAddressSizeBits !== undefined &&
    registerSize !== forcedAddressSizeBits
  ) {
    return { ok: false, message: "impossible combination of address sizes" };
  }
  const dispSizeAddress: AddressSizeBits | undefined =
    mem.dispSize === 16 ? 16 : mem.dispSize === 32 ? 32 : undefined;
  if (
    registerSize === undefined &&
    dispSizeAddress !== undefined &&
    forcedAddressSizeBits !== undefined &&
    dispSizeAddress !== forcedAddressSizeBits
  ) {
    return { ok: false, message: "impossible combination of address sizes" };
  }
  const addressSizeBits =
    registerSize ?? forcedAddressSizeBits ?? dispSizeAddress ?? defaultAddressSizeBits;
  if (addressSizeBits === 16) return encode16(mem, base?.number, index?.number);
  if (mem.dispSize === 16 && registerSize !== undefined) {
    return {
      ok: false,
      message: "invalid effective address: 16-bit displacement with 32-bit registers",
    };
  }
  return encode32(mem, base?.number, index?.number);
}

/** The displacement width NASM picks after a base register (0 only where `allowNone`). */
function displacementBytes(
  mem: MemoryOperand,
  allowNone: boolean,
  wideBytes: 2 | 4,
): 0 | 1 | 2 | 4 {
  if (mem.dispSize === 8) return 1;
  if (mem.dispSize === 16 || mem.dispSize === 32) return wideBytes;
  if (!mem.dispKnown) return mem.dispConstant ? 1 : wideBytes;
  if (mem.relocatable) return wideBytes;
  const disp = toSigned(mem.disp, wideBytes === 4 ? 32 : 16);
  if (disp === 0 && allowNone) return 0;
  return fitsSignedByte(disp, wideBytes === 4 ? 32 : 16) ? 1 : wideBytes;
}

function modFor(dispSizeBytes: number): number {
  return dispSizeBytes === 0 ? 0 : dispSizeBytes === 1 ? 1 : 2;
}

function encode32(
  mem: MemoryOperand,
  baseIn: number | undefined,
  indexIn: number | undefined,
): EffectiveAddressResult {
  let base = baseIn;
  let index = indexIn;
  let scale: number = mem.scale;
  if (
    index !== undefined &&
    base === undefined &&
    (scale === 1 || (scale === 2 && index !== espNumber))
  ) {
    // NASM: [r*1] is [r], and [r*2] is [r+r*1], which needs no disp32.
    base = index;
    index = scale === 1 ? undefined : index;
    scale = 1;
  }
  if (index === espNumber) {
    if (scale !== 1 || base === espNumber) {
      return { ok: false, message: "invalid 32-bit effective address" };
    }
    [base, index] = [index, base];
  }
  if (base === undefined && index === undefined) {
    return {
      ok: true,
      address: { addressSizeBits: 32, mod: 0, rm: 5, sib: -1, dispSizeBytes: 4, disp: mem.disp },
    };
  }
  const scaleBits = index === undefined ? 0 : [1, 2, 4, 8].indexOf(scale);
  if (base === undefined) {
    const sib = (scaleBits << 6) | (index! << 3) | ebpNumber;
    return {
      ok: true,
      address: { addressSizeBits: 32, mod: 0, rm: 4, sib, dispSizeBytes: 4, disp: mem.disp },
    };
  }
  const dispSizeBytes = displacementBytes(mem, base !== ebpNumber, 4);
  const mod = modFor(dispSizeBytes);
  if (index === undefined && base !== espNumber) {
    return {
      ok: true,
      address: { addressSizeBits: 32, mod, rm: base, sib: -1, dispSizeBytes, disp: mem.disp },
    };
  }
  const sib = (scaleBits << 6) | ((index ?? espNumber) << 3) | base;
  return {
    ok: true,
    address: { addressSizeBits: 32, mod, rm: 4, sib, dispSizeBytes, disp: mem.disp },
  };
}

/** 16-bit ModRM.rm by (base, index) register numbers: bx=3, bp=5, si=6, di=7. */
const rm16ByRegisters: ReadonlyMap<string, number> = new Map([
  ["3,6", 0],
  ["3,7", 1],
  ["5,6", 2],
  ["5,7", 3],
  [",6", 4],
  [",7", 5],
  ["5,", 6],
  ["3,", 7],
]);

function encode16(
  mem: MemoryOperand,
  first: number | undefined,
  second: number | undefined,
): EffectiveAddressResult {
  if (second !== undefined && mem.scale !== 1) {
    return { ok: false, message: "invalid 16-bit effective address: scale must be 1" };
  }
  // bx/bp are bases and si/di indexes, in whichever order they were written.
  const registers = [first, second].filter((r) => r !== undefined);
  const base = registers.find((r) => r === 3 || r === 5);
  const index = registers.find((r) => r === 6 || r === 7);
  if (registers.length !== (base === undefined ? 0 : 1) + (index === undefined ? 0 : 1)) {
    return { ok: false, message: "invalid 16-bit effective address" };
  }
  if (base === undefined && index === undefined) {
    return {
      ok: true,
      address: { addressSizeBits: 16, mod: 0, rm: 6, sib: -1, dispSizeBytes: 2, disp: mem.disp },
    };
  }
  const rm = rm16ByRegisters.get(`${base ?? ""},${index ?? ""}`)!;
  const dispSizeBytes = displacementBytes(mem, rm !== 6, 2);
  return {
    ok: true,
    address: {
      addressSizeBits: 16,
      mod: modFor(dispSizeBytes),
      rm,
      sib: -1,
      dispSizeBytes,
      disp: mem.disp,
    },
  };
}
