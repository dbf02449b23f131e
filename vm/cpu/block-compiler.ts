// Translates a basic block of decoded instructions (the fast kinds only) into one
// JavaScript function, so hot guest code runs without per-instruction dispatch. The
// generated code has exactly the semantics of the interpreter (execute-fast.ts): same
// lazy-flag records, same order of memory accesses, registers changed only after the last
// access that can fault. Before such an access it stores the instruction's index in
// `cpu.blockStep`, so a fault is charged to the right instruction; after a store it
// leaves early if a store hit cached code (`cpu.codeWritten`), telling the run loop how
// many instructions ran in `cpu.blockExitStep`. A conditional branch
// whose flags come from an earlier instruction of the same block tests the recorded
// operands directly (cmp + jl becomes `a < b`). Nothing here runs per instruction: a block
// is compiled once, when its first instruction has run `compileThreshold` times.

import type { BlockFunction } from "./block-cache.ts";
import { cpuCostCycles } from "./cost-table.ts";
import { type DecodedInstructions, REGISTER_ZERO } from "./decoded-instructions.ts";
import { AluOp, FastKind, ShiftOp } from "./fast-kind.ts";
import { HandlerId } from "./handler-id.ts";
import { LazyOp } from "./lazy-flags.ts";

/**
 * Whether a block can contain the instruction: every fast kind but string instructions,
 * and generic ones (run through cpu.executeGeneric) except traps and #UD/#GP raisers.
 */
export function compilable(kind: number, handler: number): boolean {
  if (kind === FastKind.String) return false;
  if (kind !== FastKind.Generic) return true;
  switch (handler) {
    case HandlerId.Int:
    case HandlerId.Int3:
    case HandlerId.Into:
    case HandlerId.Ud2:
    case HandlerId.Privileged:
      return false;
    default:
      return true;
  }
}

/** Instructions that may transfer control: a block ends after them. */
export function endsBlock(kind: number, handler: number): boolean {
  switch (kind) {
    case FastKind.Jcc:
    case FastKind.JmpRel:
    case FastKind.CallRel:
    case FastKind.Ret:
      return true;
    case FastKind.Generic:
      return genericBranches(handler);
    default:
      return false;
  }
}

function genericBranches(handler: number): boolean {
  switch (handler) {
    case HandlerId.Jcc:
    case HandlerId.Jmp:
    case HandlerId.Call:
    case HandlerId.Ret:
    case HandlerId.Jecxz:
    case HandlerId.Loop:
    case HandlerId.Loope:
    case HandlerId.Loopne:
      return true;
    default:
      return false;
  }
}

/** What the last flag-setting instruction so far recorded, for branch specialisation. */
const enum FlagSource {
  Unknown,
  /** LazyOp.Sub: a and b are the compared operands */
  Compare,
  /** LazyOp.Logic: the result alone decides */
  Logic,
  /** another known lazy op: ZF and SF come from the result */
  Result,
}

/**
 * The source of a function running `count` instructions from `slots`, whose byte offsets
 * from the entry eip (the `base` parameter) are in `offsets` (offsets[count] = the end).
 */
export function blockSource(
  store: DecodedInstructions,
  slots: Int32Array,
  offsets: Int32Array,
  count: number,
): string {
  const lines: string[] = [];
  let flagSource = FlagSource.Unknown;
  for (let k = 0; k < count; k++) {
    const slot = slots[k]!;
    const kind = store.kind[slot]!;
    const d = store.dst[slot]!;
    const s = store.src[slot]!;
    const imm = store.imm[slot]!;
    const op = store.cc[slot]!;
    const next = `(base + ${offsets[k + 1]}) | 0`;
    const ea = addressExpression(store, slot);
    const step = `c.blockStep = ${k};`;
    const last = k === count - 1;
    const leaveIfCodeWritten = last
      ? ""
      : `if (c.codeWritten !== 0) { c.codeWritten = 0; c.blockExitStep = ${k + 1}; return ${next}; }`;
    switch (kind) {
      case FastKind.MovRegReg:
        lines.push(`r[${d}] = r[${s}];`);
        break;
      case FastKind.MovRegImm:
        lines.push(`r[${d}] = ${imm};`);
        break;
      case FastKind.MovLoad:
        lines.push(`${step} r[${d}] = c.read32(${ea});`);
        break;
      case FastKind.MovStore:
        lines.push(`${step} c.write32(${ea}, r[${s}]); ${leaveIfCodeWritten}`);
        break;
      case FastKind.MovStoreImm:
        lines.push(`${step} c.write32(${ea}, ${imm}); ${leaveIfCodeWritten}`);
        break;
      case FastKind.AluRegReg:
      case FastKind.AluRegImm:
      case FastKind.AluRegMem: {
        const operand =
          kind === FastKind.AluRegReg ? `r[${s}]` : kind === FastKind.AluRegImm ? `${imm}` : "m";
        const load = kind === FastKind.AluRegMem ? `${step} const m = c.read32(${ea});` : "";
        const { code, source } = aluCode(op, operand);
        lines.push(
          `{ ${load} const a = r[${d}]; ${code} ${op === AluOp.Cmp ? "" : `r[${d}] = x;`} }`,
        );
        flagSource = source;
        break;
      }
      case FastKind.AluMemReg:
      case FastKind.AluMemImm: {
        const operand = kind === FastKind.AluMemReg ? `r[${s}]` : `${imm}`;
        const { code, source, flagsCode } = aluCode(op, operand);
        if (op === AluOp.Cmp) {
          lines.push(`{ ${step} const a = c.read32(${ea}); ${code} }`);
        } else {
          lines.push(
            `{ ${step} const ad = ${ea}; const a = c.read32(ad); ${flagsCode.compute} c.write32(ad, x); ${flagsCode.record} ${leaveIfCodeWritten} }`,
          );
        }
        flagSource = source;
        break;
      }
      case FastKind.TestRegReg:
        lines.push(`f.op = ${LazyOp.Logic}; f.result = r[${d}] & r[${s}];`);
        flagSource = FlagSource.Logic;
        break;
      case FastKind.Lea:
        lines.push(`r[${d}] = ${ea};`);
        break;
      case FastKind.PushReg:
      case FastKind.PushImm: {
        const value = kind === FastKind.PushReg ? `r[${d}]` : `${imm}`;
        lines.push(
          `{ const sp = (r[4] - 4) | 0; ${step} c.write32(sp, ${value}); r[4] = sp; ${leaveIfCodeWritten} }`,
        );
        break;
      }
      case FastKind.PopReg:
        lines.push(
          `{ const sp = r[4]; ${step} const v = c.read32(sp); r[4] = (sp + 4) | 0; r[${d}] = v; }`,
        );
        break;
      case FastKind.CallRel:
        lines.push(
          `{ const sp = (r[4] - 4) | 0; ${step} c.write32(sp, ${next}); r[4] = sp; return (base + ${offsets[k + 1]! + imm}) | 0; }`,
        );
        break;
      case FastKind.Ret:
        lines.push(
          `{ const sp = r[4]; ${step} const t = c.read32(sp); r[4] = (sp + 4) | 0; return t; }`,
        );
        break;
      case FastKind.JmpRel:
        lines.push(`return (base + ${offsets[k + 1]! + imm}) | 0;`);
        break;
      case FastKind.Jcc:
        lines.push(
          `if (${conditionCode(op, flagSource)}) { c.takenExtraCycles = ${cpuCostCycles.branchTakenExtra}; return (base + ${offsets[k + 1]! + imm}) | 0; } return ${next};`,
        );
        break;
      case FastKind.IncReg:
      case FastKind.DecReg: {
        const increment = kind === FastKind.IncReg;
        lines.push(
          `{ const a = r[${d}]; const x = (a ${increment ? "+" : "-"} 1) | 0; r[${d}] = x; f.setKeepingCarry(${increment ? LazyOp.Inc : LazyOp.Dec}, a, x); }`,
        );
        flagSource = FlagSource.Result;
        break;
      }
      case FastKind.MovzxLoad8:
        lines.push(`${step} r[${d}] = c.read8(${ea});`);
        break;
      case FastKind.MovsxLoad8:
        lines.push(`${step} r[${d}] = (c.read8(${ea}) << 24) >> 24;`);
        break;
      case FastKind.MovzxLoad16:
        lines.push(`${step} r[${d}] = c.read16(${ea});`);
        break;
      case FastKind.MovsxLoad16:
        lines.push(`${step} r[${d}] = (c.read16(${ea}) << 16) >> 16;`);
        break;
      case FastKind.MovzxReg8:
        lines.push(s < 4 ? `r[${d}] = r[${s}] & 255;` : `r[${d}] = (r[${s - 4}] >>> 8) & 255;`);
        break;
      case FastKind.ShiftRegImm: {
        const count = imm & 31;
        if (count === 0) break;
        lines.push(`{ ${shiftCode(op, d, count)} }`);
        flagSource = FlagSource.Result;
        break;
      }
      case FastKind.ImulRegReg:
      case FastKind.ImulRegRegImm: {
        const [a, b] =
          kind === FastKind.ImulRegReg ? [`r[${d}]`, `r[${s}]`] : [`r[${s}]`, `${imm}`];
        lines.push(
          `{ const a = ${a}, b = ${b}; const x = Math.imul(a, b); const o = a * b !== x ? 1 : 0; r[${d}] = x; f.op = ${LazyOp.Explicit}; f.a = o; f.b = o; f.result = x; }`,
        );
        flagSource = FlagSource.Result;
        break;
      }
      case FastKind.CmovRegReg:
        lines.push(`if (${conditionCode(op, flagSource)}) r[${d}] = r[${s}];`);
        break;
      default:
        // A generic instruction: the interpreter's handler, with eip set as it expects.
        if (genericBranches(store.handler[slot]!)) {
          lines.push(
            `${step} c.eip = (${next}) >>> 0; c.executeGeneric(${slot}); return c.eip | 0;`,
          );
        } else {
          lines.push(`${step} c.executeGeneric(${slot}); ${leaveIfCodeWritten}`);
        }
        flagSource = FlagSource.Unknown;
        break;
    }
  }
  const lastSlot = slots[count - 1]!;
  if (!endsBlock(store.kind[lastSlot]!, store.handler[lastSlot]!))
    lines.push(`return (base + ${offsets[count]}) | 0;`);
  return lines.join("\n");
}

export function compileBlockFunction(source: string): BlockFunction {
  return new Function("c", "r", "f", "base", source) as BlockFunction;
}

/** The effective address as an int32 expression; absent base/index are left out. */
function addressExpression(store: DecodedInstructions, slot: number): string {
  const parts: string[] = [];
  const base = store.base[slot]!;
  const index = store.index[slot]!;
  const scale = store.scale[slot]!;
  const disp = store.disp[slot]!;
  if (base !== REGISTER_ZERO) parts.push(`r[${base}]`);
  if (index !== REGISTER_ZERO)
    parts.push(scale === 0 ? `r[${index}]` : `(r[${index}] << ${scale})`);
  if (disp !== 0 || parts.length === 0) parts.push(`${disp}`);
  return parts.length === 1 ? parts[0]! : `((${parts.join(" + ")}) | 0)`;
}

interface AluCode {
  /** computes x and records the flags */
  code: string;
  /** the same split in two, for read-modify-write where the store comes in between */
  flagsCode: { compute: string; record: string };
  source: FlagSource;
}

/** Code for `x = a op b` (a is bound by the caller) and its lazy-flag record. */
function aluCode(op: number, b: string): AluCode {
  let compute: string;
  let record: string;
  let source = FlagSource.Result;
  switch (op) {
    case AluOp.Add:
      compute = `const b = ${b}; const x = (a + b) | 0;`;
      record = `f.op = ${LazyOp.Add}; f.a = a; f.b = b; f.result = x;`;
      break;
    case AluOp.Adc:
      compute = `const b = ${b}; const cy = f.cf(); const x = (a + b + cy) | 0;`;
      record = `f.op = cy ? ${LazyOp.AddCarry} : ${LazyOp.Add}; f.a = a; f.b = b; f.result = x;`;
      source = FlagSource.Unknown;
      break;
    case AluOp.Sbb:
      compute = `const b = ${b}; const cy = f.cf(); const x = (a - b - cy) | 0;`;
      record = `f.op = cy ? ${LazyOp.SubBorrow} : ${LazyOp.Sub}; f.a = a; f.b = b; f.result = x;`;
      source = FlagSource.Unknown;
      break;
    case AluOp.Sub:
    case AluOp.Cmp:
      compute = `const b = ${b}; const x = (a - b) | 0;`;
      record = `f.op = ${LazyOp.Sub}; f.a = a; f.b = b; f.result = x;`;
      source = FlagSource.Compare;
      break;
    default: {
      const symbol = op === AluOp.Or ? "|" : op === AluOp.And ? "&" : "^";
      compute = `const x = a ${symbol} ${b};`;
      record = `f.op = ${LazyOp.Logic}; f.result = x;`;
      source = FlagSource.Logic;
      break;
    }
  }
  return { code: `${compute} ${record}`, flagsCode: { compute, record }, source };
}

function shiftCode(op: number, reg: number, count: number): string {
  if (op === ShiftOp.Shl) {
    return `const v = r[${reg}]; const x = v << ${count}; const cy = (v >>> ${32 - count}) & 1; r[${reg}] = x; f.op = ${LazyOp.Explicit}; f.a = cy; f.b = (x >>> 31) ^ cy; f.result = x;`;
  }
  if (op === ShiftOp.Shr) {
    return `const v = r[${reg}]; const x = (v >>> ${count}) | 0; r[${reg}] = x; f.op = ${LazyOp.Explicit}; f.a = (v >>> ${count - 1}) & 1; f.b = v >>> 31; f.result = x;`;
  }
  return `const v = r[${reg}]; const x = v >> ${count}; r[${reg}] = x; f.op = ${LazyOp.Explicit}; f.a = (v >> ${count - 1}) & 1; f.b = 0; f.result = x;`;
}

/** A boolean expression for condition cc, specialised when the flag source is known. */
function conditionCode(cc: number, source: FlagSource): string {
  if (source === FlagSource.Compare) {
    switch (cc) {
      case 2:
        return "(f.a >>> 0) < (f.b >>> 0)";
      case 3:
        return "(f.a >>> 0) >= (f.b >>> 0)";
      case 4:
        return "f.a === f.b";
      case 5:
        return "f.a !== f.b";
      case 6:
        return "(f.a >>> 0) <= (f.b >>> 0)";
      case 7:
        return "(f.a >>> 0) > (f.b >>> 0)";
      case 12:
        return "f.a < f.b";
      case 13:
        return "f.a >= f.b";
      case 14:
        return "f.a <= f.b";
      case 15:
        return "f.a > f.b";
    }
  }
  if (source === FlagSource.Logic) {
    switch (cc) {
      case 12:
        return "f.result < 0";
      case 13:
        return "f.result >= 0";
      case 14:
        return "f.result <= 0";
      case 15:
        return "f.result > 0";
    }
  }
  if (source !== FlagSource.Unknown) {
    switch (cc) {
      case 4:
        return "f.result === 0";
      case 5:
        return "f.result !== 0";
      case 8:
        return "f.result < 0";
      case 9:
        return "f.result >= 0";
    }
  }
  return `f.condition(${cc})`;
}
