// Inline code for compiled blocks for the instruction forms that are rarer in hot code than
// block-compiler.ts's own: shifts and rotates by cl, rcl/rcr, shld/shrd (32-bit), div and
// idiv, 8/16-bit one-operand mul/imul, bt/bts/btr/btc, bsf/bsr, xchg, xadd, cmpxchg,
// bswap, leave, push/pop of any size, pushf, pusha/popa, xlat, lahf/sahf and the flag
// set/clear instructions, and the counter branches (loop, loope, loopne, jecxz). Each mirrors
// execute.ts: same reads and writes in the same order (so the same fault point and memory),
// registers changed only after the last access that can fault, same lazy-flag record or
// flags word. A memory operand's address is in `ad`. What stays with the generic handler:
// 16-bit shld/shrd, enter, bound, the BCD adjustments, cpuid, segment register moves and the
// instructions a block never holds (compilable in block-compiler.ts).

import {
  carryCode,
  conditionCode,
  editCarryAndOverflow,
  type FlagSource,
  flagRecord,
  flagsSync,
  lazyRecord,
  materialise,
  readCode,
  rotateFlagsCode,
  shiftRecord,
  signExtendCode,
  slotOperands,
  unknownOp,
  writeCode,
} from "./block-code-parts.ts";
import { loadCode, storeCode } from "./block-memory-code.ts";
import {
  type DecodedInstructions,
  LOCATION_IMMEDIATE,
  LOCATION_MEMORY,
  LOCATION_NONE,
} from "./decoded-instructions.ts";
import { FLAG_AF, FLAG_CF, FLAG_DF, FLAG_PF, FLAG_SF, FLAG_ZF } from "./eflags.ts";
import { VECTOR_DIVIDE_ERROR } from "./exception-vector.ts";
import { maskOf } from "./execute.ts";
import { HandlerId } from "./handler-id.ts";
import { LazyOp } from "./lazy-flags.ts";

export interface FormCode {
  code: string;
  /** The flag source after the instruction. */
  source: FlagSource;
}

/** The flags of lahf and sahf. */
const lowStatusFlags = FLAG_SF | FLAG_ZF | FLAG_AF | FLAG_PF | FLAG_CF;

/** Code for the instruction in `slot`, or undefined when it is not one of this file's forms. */
export function uncommonFormCode(
  store: DecodedInstructions,
  slot: number,
  flagSource: FlagSource,
  step: number,
): FormCode | undefined {
  const { handler, size, dst, src, imm, read, write } = slotOperands(store, slot, step);
  const raiseDivideError = `{ c.blockStep = ${step}; c.raise(${VECTOR_DIVIDE_ERROR}, 0); }`;
  switch (handler) {
    case HandlerId.Shl:
    case HandlerId.Shr:
    case HandlerId.Sar:
    case HandlerId.Rol:
    case HandlerId.Ror:
      // By a constant: block-compiler.ts's shiftByConstantCode.
      if (imm >= 0) return undefined;
      return {
        code: shiftByCountCode(handler, size, read(dst, size), "r[1] & 31", (v) =>
          write(dst, size, v),
        ),
        source: unknownOp,
      };
    case HandlerId.Rcl:
    case HandlerId.Rcr:
      return {
        code: rotateThroughCarryCode(
          handler === HandlerId.Rcl,
          size,
          read(dst, size),
          imm < 0 ? "r[1] & 31" : `${imm & 31}`,
          carryCode(flagSource),
          (v) => write(dst, size, v),
        ),
        source: unknownOp,
      };
    case HandlerId.Shld:
    case HandlerId.Shrd:
      if (size !== 32) return undefined;
      return doubleShiftCode(handler === HandlerId.Shld, read(dst, 32), src, imm, (v) =>
        write(dst, 32, v),
      );
    case HandlerId.Div:
    case HandlerId.Idiv:
      return {
        code: divideCode(handler === HandlerId.Idiv, size, read(dst, size), raiseDivideError),
        source: flagSource,
      };
    case HandlerId.Mul:
    case HandlerId.ImulWide: {
      if (size === 32) return undefined; // block-compiler.ts, through wide-arithmetic.ts
      const signed = handler === HandlerId.ImulWide;
      const mask = maskOf(size);
      const product = signed ? "a * v" : `(a & ${mask}) * (v & ${mask})`;
      const high =
        size === 16 ? write(2, 16, signExtendCode(`Math.floor(p / ${mask + 1})`, 16)) : "";
      const overflow = signed ? "p !== x" : `p > ${mask}`;
      return {
        code: `const v = ${read(dst, size)}; const a = ${read(0, size)}; const p = ${product}; const x = ${signExtendCode("p", size)}; ${write(0, 16, "p")} ${high} const o = ${overflow} ? 1 : 0; ${flagRecord(`f.op = ${LazyOp.Explicit}; f.a = o; f.b = o; f.result = x;`)}`,
        source: LazyOp.Explicit,
      };
    }
    case HandlerId.Bt:
    case HandlerId.Bts:
    case HandlerId.Btr:
    case HandlerId.Btc:
      return { code: bitTestCode(handler, size, dst, src, imm, step), source: unknownOp };
    case HandlerId.Bsf:
    case HandlerId.Bsr: {
      const index = handler === HandlerId.Bsf ? "31 - Math.clz32(v & -v)" : "31 - Math.clz32(v)";
      return {
        code: `const v = ${read(src, size)} & ${maskOf(size)}; ${materialise} if (v === 0) { f.word |= ${FLAG_ZF}; } else { f.word &= ${~FLAG_ZF}; ${write(dst, size, index)} }`,
        source: unknownOp,
      };
    }
    case HandlerId.Xchg:
      return {
        code: `const a = ${read(dst, size)}; const b = ${read(src, size)}; ${write(dst, size, "b")} ${write(src, size, "a")}`,
        source: flagSource,
      };
    case HandlerId.Xadd: {
      const sum = signExtendCode("a + b", size);
      const writes =
        dst === LOCATION_MEMORY
          ? `${write(dst, size, "x")} ${write(src, size, "a")}`
          : `${write(src, size, "a")} ${write(dst, size, "x")}`;
      return {
        code: `const a = ${read(dst, size)}; const b = ${read(src, size)}; const x = ${sum}; ${writes} ${lazyRecord(LazyOp.Add)}`,
        source: LazyOp.Add,
      };
    }
    case HandlerId.Cmpxchg: {
      // A memory operand is written either way (the current value back when unequal).
      const unequalStore = dst === LOCATION_MEMORY ? write(dst, size, "m") : "";
      return {
        code: `const a = ${read(0, size)}; const m = ${read(dst, size)}; if (a === m) { const v = ${read(src, size)}; ${write(dst, size, "v")} } else { ${unequalStore} ${write(0, size, "m")} } const x = ${signExtendCode("a - m", size)}; ${flagRecord(`f.op = ${LazyOp.Sub}; f.a = a; f.b = m; f.result = x;`)}`,
        source: LazyOp.Sub,
      };
    }
    case HandlerId.Bswap:
      return {
        code: `const v = r[${dst}]; r[${dst}] = (v << 24) | ((v & 65280) << 8) | ((v >>> 8) & 65280) | (v >>> 24);`,
        source: flagSource,
      };
    case HandlerId.Leave:
      return {
        code: `const bp = r[5]; const v = ${loadCode(32, "bp", step, "stack")}; r[4] = (bp + 4) | 0; r[5] = v;`,
        source: flagSource,
      };
    case HandlerId.Push: {
      if (dst === LOCATION_MEMORY && size === 32) return undefined; // block-compiler.ts
      const value = dst === LOCATION_NONE ? `${imm}` : read(dst, size);
      return {
        code: `const v = ${value}; const sp = (r[4] - ${size / 8}) | 0; ${storeCode(size, "sp", "v", step, "stack")} r[4] = sp;`,
        source: flagSource,
      };
    }
    case HandlerId.Pop:
      if (dst === LOCATION_MEMORY) return undefined; // its address uses the popped esp
      return {
        code: `const sp = r[4]; const v = ${loadCode(size, "sp", step, "stack")}; r[4] = (sp + ${size / 8}) | 0; ${write(dst, size, "v")}`,
        source: flagSource,
      };
    case HandlerId.Pushf:
      // VM and RF read as 0 in the pushed image.
      return {
        code: `const v = (${flagsSync} f.get()) & ${0x00fcffff}; f.op = ${LazyOp.None}; const sp = (r[4] - ${size / 8}) | 0; ${storeCode(size, "sp", "v", step, "stack")} r[4] = sp;`,
        source: unknownOp,
      };
    case HandlerId.Pusha:
      return { code: pushAllCode(size, step), source: flagSource };
    case HandlerId.Popa:
      return { code: popAllCode(size, step), source: flagSource };
    case HandlerId.Xlat:
      return {
        code: `const xa = (r[3] + (r[0] & 255)) | 0; const v = ${loadCode(8, "xa", step, "operand")}; r[0] = (r[0] & -256) | v;`,
        source: flagSource,
      };
    case HandlerId.Lahf:
      return {
        code: `const w = (${flagsSync} f.get()); f.op = ${LazyOp.None}; ${write(4, 8, `(w & ${lowStatusFlags}) | 2`)}`,
        source: unknownOp,
      };
    case HandlerId.Sahf:
      return {
        code: `const w = (${flagsSync} f.get()); f.op = ${LazyOp.None}; f.word = ((w & ${~lowStatusFlags}) | ((r[0] >>> 8) & ${lowStatusFlags}) | 2) >>> 0;`,
        source: unknownOp,
      };
    case HandlerId.Clc:
      return { code: `${materialise} f.word &= ${~FLAG_CF};`, source: unknownOp };
    case HandlerId.Stc:
      return { code: `${materialise} f.word |= ${FLAG_CF};`, source: unknownOp };
    case HandlerId.Cmc:
      return { code: `${materialise} f.word ^= ${FLAG_CF};`, source: unknownOp };
    case HandlerId.Cld:
      return { code: `${materialise} f.word &= ${~FLAG_DF};`, source: unknownOp };
    case HandlerId.Std:
      return { code: `${materialise} f.word |= ${FLAG_DF};`, source: unknownOp };
    default:
      return undefined;
  }
}

/**
 * loop, loope, loopne and jecxz (always the last instruction of a block): statements to run
 * first and the condition under which the branch is taken; undefined for other handlers.
 */
export function counterBranchCode(
  handler: number,
  flagSource: FlagSource,
): { prelude: string; taken: string } | undefined {
  switch (handler) {
    case HandlerId.Jecxz:
      return { prelude: "", taken: "r[1] === 0" };
    case HandlerId.Loop:
      return { prelude: "const lc = (r[1] - 1) | 0; r[1] = lc;", taken: "lc !== 0" };
    case HandlerId.Loope:
    case HandlerId.Loopne: {
      const zero = conditionCode(handler === HandlerId.Loope ? 4 : 5, flagSource);
      return { prelude: "const lc = (r[1] - 1) | 0; r[1] = lc;", taken: `lc !== 0 && ${zero}` };
    }
    default:
      return undefined;
  }
}

/**
 * shl/shr/sar/rol/ror by a count known only at run time (cl masked to 5 bits), as
 * execute.ts's shiftOrRotate: a count of 0 reads the operand and changes nothing else, so
 * the flag record (or word) is set only under the count test and is not marked (a later
 * record must not replace an earlier one that may stay).
 */
function shiftByCountCode(
  handler: number,
  size: number,
  operand: string,
  count: string,
  write: (value: string) => string,
): string {
  const mask = maskOf(size);
  const top = size - 1;
  const value = size === 32 ? "a" : `(a & ${mask})`;
  let compute: string;
  switch (handler) {
    case HandlerId.Shl: {
      const carry =
        size === 32
          ? `(a >>> (32 - cn)) & 1`
          : `cn <= ${size} ? (${value} >>> (${size} - cn)) & 1 : 0`;
      compute = `const x = ${signExtendCode(`${value} << cn`, size)}; const cy = ${carry}; const o = ((x >>> ${top}) & 1) ^ cy;`;
      break;
    }
    case HandlerId.Shr:
      compute = `const cy = (${value} >>> (cn - 1)) & 1; const x = ${signExtendCode(`${value} >>> cn`, size)}; const o = (a >>> ${top}) & 1;`;
      break;
    case HandlerId.Sar:
      compute = "const cy = (a >> (cn - 1)) & 1; const x = a >> cn; const o = 0;";
      break;
    default: {
      // rol/ror change only CF and OF, edited in the materialised flags word.
      const by = size === 32 ? "cn" : `cn % ${size}`;
      const rotated =
        handler === HandlerId.Rol
          ? `((${value} << by) | (${value} >>> (${size} - by)))`
          : `((${value} >>> by) | (${value} << (${size} - by)))`;
      const flags = rotateFlagsCode(handler === HandlerId.Rol, top);
      // For 8 and 16 bits a multiple of the size rotates by 0: the value's bits never reach
      // the shifted-out side (v >>> size is 0), so no test is needed.
      return `const a = ${operand}; const cn = ${count}; if (cn !== 0) { const by = ${by}; const u = ${rotated} & ${mask}; ${flags} const x = ${signExtendCode("u", size)}; ${write("x")} ${editCarryAndOverflow} }`;
    }
  }
  return `const a = ${operand}; const cn = ${count}; if (cn !== 0) { ${compute} ${write("x")} ${shiftRecord} }`;
}

/**
 * rcl/rcr by a count (an expression, masked to 5 bits), as execute.ts's rotate: 8 and 16-bit
 * operands rotate through CF by the count modulo size + 1; only CF and OF change.
 */
function rotateThroughCarryCode(
  left: boolean,
  size: number,
  operand: string,
  count: string,
  carryIn: string,
  write: (value: string) => string,
): string {
  const mask = maskOf(size);
  const top = size - 1;
  const value = size === 32 ? "a" : `(a & ${mask})`;
  const by = size === 32 ? "cn" : `cn % ${size + 1}`;
  // The bits that wrap around past CF; for 32 bits a rotate by 1 wraps none (a shift by 32
  // would be one by 0 in JavaScript).
  const wrapShift = `${size + 1} - by`;
  const wrapped = left ? `${value} >>> (${wrapShift})` : `${value} << (${wrapShift})`;
  const wrap = size === 32 ? `(by === 1 ? 0 : ${wrapped})` : `(${wrapped})`;
  const compute = left
    ? `const u = ((${value} << by) | (ci << (by - 1)) | ${wrap}) & ${mask}; const cy = (${value} >>> (${size} - by)) & 1; const o = ((u >>> ${top}) & 1) ^ cy;`
    : `const u = ((${value} >>> by) | (ci << (${size} - by)) | ${wrap}) & ${mask}; const cy = (${value} >>> (by - 1)) & 1; const o = ((a >>> ${top}) & 1) ^ ci;`;
  return `const a = ${operand}; const cn = ${count}; const by = ${by}; if (by !== 0) { const ci = ${carryIn}; ${compute} const x = ${signExtendCode("u", size)}; ${write("x")} ${editCarryAndOverflow} }`;
}

/** 32-bit shld/shrd by an immediate or cl (imm < 0), as execute.ts's doubleShift. */
function doubleShiftCode(
  left: boolean,
  operand: string,
  src: number,
  imm: number,
  write: (value: string) => string,
): FormCode {
  const compute = left
    ? `const x = (a << cn) | (r[${src}] >>> (32 - cn)); const cy = (a >>> (32 - cn)) & 1;`
    : `const x = (a >>> cn) | (r[${src}] << (32 - cn)); const cy = (a >>> (cn - 1)) & 1;`;
  const body = `${compute} const o = ((x ^ a) >>> 31) & 1; ${write("x")}`;
  const record = shiftRecord;
  if (imm >= 0) {
    const count = imm & 31;
    if (count === 0) return { code: `const a = ${operand};`, source: unknownOp };
    return {
      code: `const a = ${operand}; const cn = ${count}; ${body} ${flagRecord(record)}`,
      source: LazyOp.Explicit,
    };
  }
  return {
    code: `const a = ${operand}; const cn = r[1] & 31; if (cn !== 0) { ${body} ${record} }`,
    source: unknownOp,
  };
}

/** div/idiv, as execute.ts's divide: #DE for a zero divisor or a quotient out of range. */
function divideCode(signed: boolean, size: number, operand: string, raise: string): string {
  if (size === 32) {
    const divide = signed ? "divideSigned" : "divideUnsigned";
    return `const v = ${operand}; const w = c.wideArithmetic; if (!w.${divide}(r[2], r[0], v)) ${raise} r[0] = w.wide.low; r[2] = w.wide.high;`;
  }
  const mask = maskOf(size);
  const dividend =
    size === 8
      ? signed
        ? "(r[0] << 16) >> 16"
        : "r[0] & 65535"
      : signed
        ? "((r[2] & 65535) << 16) | (r[0] & 65535)"
        : "(((r[2] & 65535) << 16) | (r[0] & 65535)) >>> 0";
  const high = signed ? (size === 8 ? 0x7f : 0x7fff) : mask;
  const low = signed ? -high - 1 : 0;
  const results =
    size === 8
      ? `${writeCode(0, 8, "q", 0)} ${writeCode(4, 8, "m", 0)}`
      : `${writeCode(0, 16, "q", 0)} ${writeCode(2, 16, "m", 0)}`;
  return `const v = ${operand}; if (v === 0) ${raise} const dd = ${dividend}; const dv = ${signed ? "v" : `v & ${mask}`}; const q = Math.trunc(dd / dv); const m = dd - q * dv; if (q > ${high} || q < ${low}) ${raise} ${results}`;
}

/**
 * bt/bts/btr/btc, as execute.ts's bitTest: CF = the bit; with a register offset a memory
 * operand's address moves by the offset's whole words (which may be negative).
 */
function bitTestCode(
  handler: number,
  size: number,
  dst: number,
  src: number,
  imm: number,
  step: number,
): string {
  const memory = dst === LOCATION_MEMORY;
  let prelude: string;
  let address = "ad";
  if (src === LOCATION_IMMEDIATE) {
    prelude = `const bit = ${imm & (size - 1)};`;
  } else {
    prelude = `const of = ${readCode(src, size, 0, step)}; const bit = of & ${size - 1};`;
    if (memory) {
      prelude += ` const ba = (ad + (of >> ${size === 32 ? 5 : 4}) * ${size / 8}) | 0;`;
      address = "ba";
    }
  }
  const value = memory ? loadCode(size, address, step, "operand") : readCode(dst, size, 0, step);
  let update = "";
  if (handler !== HandlerId.Bt) {
    const changed =
      handler === HandlerId.Bts
        ? "v | (1 << bit)"
        : handler === HandlerId.Btr
          ? "v & ~(1 << bit)"
          : "v ^ (1 << bit)";
    update = memory
      ? storeCode(size, address, `(${changed})`, step, "operand")
      : writeCode(dst, size, changed, step);
  }
  return `${prelude} const v = ${value}; const cy = (v >>> bit) & 1; ${update} ${materialise} f.word = (f.word & ${~FLAG_CF}) | cy;`;
}

/** pusha: the eight registers (esp as it was) stored downwards, then esp moves. */
function pushAllCode(size: number, step: number): string {
  const bytes = size / 8;
  const stores = Array.from(
    { length: 8 },
    (_, i) =>
      `{ const pa = (sp - ${(i + 1) * bytes}) | 0; ${storeCode(size, "pa", `r[${i}]`, step, "stack")} }`,
  );
  return `const sp = r[4]; ${stores.join(" ")} r[4] = (sp - ${8 * bytes}) | 0;`;
}

/** popa: reads all eight slots first (the saved esp is skipped), then loads them. */
function popAllCode(size: number, step: number): string {
  const bytes = size / 8;
  const reads: string[] = [];
  const writes: string[] = [];
  for (let i = 0; i < 8; i++) {
    reads.push(
      `const pa${i} = (sp + ${(7 - i) * bytes}) | 0; const p${i} = ${loadCode(size, `pa${i}`, step, "stack")};`,
    );
    if (i !== 4) writes.push(writeCode(i, size, `p${i}`, step));
  }
  return `const sp = r[4]; ${reads.join(" ")} ${writes.join(" ")} r[4] = (sp + ${8 * bytes}) | 0;`;
}
