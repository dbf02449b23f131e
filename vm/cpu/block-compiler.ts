// Translates a basic block of decoded instructions into one JavaScript function, so hot
// guest code runs without per-instruction dispatch (the rarer forms' code is in
// block-uncommon-forms.ts; a few still call the interpreter's generic handler). The
// generated code has exactly the semantics of the interpreter (execute-fast.ts): same
// lazy-flag records, same order of memory accesses, registers changed only after the last
// access that can fault. Memory is accessed through the TLB inline (block-memory-code.ts);
// before anything that can fault it stores the instruction's number in `cpu.blockStep`, so
// a fault is charged to the right instruction, and so is a store into decoded code, which
// leaves the block before it (`codeWriteStop`); after a generic handler it leaves early if
// the handler wrote to decoded code (`cpu.codeWritten`). Every exit tells the run loop, as
// constants, what to charge for its last pass (`cpu.exitCycles`, `cpu.exitInstructions`,
// and for the recent-eips ring `cpu.exitNode`: a side path, taken where a branch goes the
// way the block does not follow, numbers its instructions after the main path's; a looping
// block leaves its earlier passes, and their cycles and instructions, in
// `cpu.extraIterations`, `extraCycles` and `extraInstructions`) and where it goes
// (`cpu.exitOffset` bytes from the eip it returns). A block first checks that it fits the
// budget the run loop gives it (`budgetCycles`), so the run loop reads nothing of the
// block's but its function: when it does not fit it leaves at once with `exitInstructions`
// 0. A conditional branch whose flags come from an earlier instruction of the same block
// tests the recorded operands directly (cmp + jl becomes `a < b`). Nothing here runs per
// instruction: a block is compiled once, when its first instruction has run
// `compileThreshold` times and the run loop reaches it at the start of a path.

import type { BlockFunction } from "./block-cache.ts";
import {
  carryCode,
  conditionCode,
  editCarryAndOverflow,
  type FlagSource,
  flagRecord,
  flagsSync,
  lazyRecord,
  markedRecord,
  rotateFlagsCode,
  shiftRecord,
  signExtendCode,
  slotOperands,
  unknownOp,
} from "./block-code-parts.ts";
import { loadCode, memoryLocals, storeCode } from "./block-memory-code.ts";
import { counterBranchCode, uncommonFormCode } from "./block-uncommon-forms.ts";
import { cpuCostCycles } from "./cost-table.ts";
import { rowOperandBits, rowOperandCount } from "./decode-table.ts";
import {
  type DecodedInstructions,
  LOCATION_MEMORY,
  LOCATION_NONE,
  REGISTER_ZERO,
} from "./decoded-instructions.ts";
import { maskOf, signExtend } from "./execute.ts";
import { AluOp, FastKind, ShiftOp } from "./fast-kind.ts";
import { HandlerId } from "./handler-id.ts";
import { LazyOp } from "./lazy-flags.ts";

/**
 * Whether a block can contain the instruction: every fast kind but string instructions,
 * and generic ones (run through cpu.executeGeneric) except traps, #UD/#GP raisers, rdtsc
 * (it reads the cycle count, which the run loop only settles between instructions it
 * interprets) and popf (it may set TF, which the run loop must see before the next one).
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
    case HandlerId.Rdtsc:
    case HandlerId.Popf:
      return false;
    default:
      return true;
  }
}

/** Instructions that may transfer control: a block ends after them (cpu.ts lets it go on past a conditional branch, as a side exit). */
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

/**
 * The source of a function running `count` instructions from `slots`, instruction k from
 * byte offset starts[k] to ends[k] from the entry eip (the `base` parameter). They follow one
 * another in memory except after a direct jmp or call the block follows to its target. Where
 * instruction k is a conditional branch, `sides[k]` may hold the side path the block takes
 * when it goes the other way; `latestStart` is the most cycles from the entry to the start
 * of any instruction, side paths included.
 */
export function blockSource(
  store: DecodedInstructions,
  slots: Int32Array,
  starts: Int32Array,
  ends: Int32Array,
  prefixCycles: Int32Array,
  count: number,
  loop: BlockLoop,
  sides: readonly (SidePath | undefined)[],
  latestStart: number,
): string {
  const main = { slots, starts, ends, prefixCycles, count, firstNode: 0, depth: 0 };
  /** The first line of each instruction's code (the loop begins at loopHead's). */
  const firstLine: number[] = [];
  const code = pathCode(store, main, loop, sides, unknownOp, firstLine);
  const loopHead = loop.head;
  const looping = loopHead >= 0;
  const loopsAtEnd = looping && loop.end === count - 1;
  // The block runs only if every instruction of it would start within the budget; else it
  // leaves at once, having retired nothing (the run loop then interprets).
  const fits = `if (budgetCycles <= ${latestStart}) { c.exitInstructions = 0; return base; }\n`;
  if (!looping) return fits + withStateInLocals(code.join("\n"), "");
  // A block's loop runs here; `n` counts the passes completed, which reach the run loop when
  // the block leaves. Code after the loop runs when its last branch is not taken.
  const loopFrom = firstLine[loopHead]!;
  const loopTo = loopsAtEnd ? code.length : firstLine[loop.end + 1]!;
  const beforeLoop = code.slice(0, loopFrom).join("\n");
  const body = code.slice(loopFrom, loopTo).join("\n");
  const afterLoop = code.slice(loopTo).join("\n");
  const passes = `c.extraIterations = n; c.extraCycles = n * ${loop.passCycles}; c.extraInstructions = n * ${loop.passInstructions};`;
  return `${fits}let n = 0; ${passesLimit(latestStart, loop)}\n${withStateInLocals(`${beforeLoop}\nfor (;;) {\n${body}\n}\n${afterLoop}`, passes)}`;
}

/** A run of instructions a block's code follows: its main path, or a side path. */
interface Path {
  readonly slots: Int32Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  /** Cycles from the block's entry to each instruction's start, and to the path's end. */
  readonly prefixCycles: Int32Array;
  readonly count: number;
  /** Block instruction number of its first instruction (blockStep, exitNode). */
  readonly firstNode: number;
  /** Instructions retired before its first one. */
  readonly depth: number;
}

/**
 * A path the block takes where a conditional branch of its main path goes the way the block
 * does not follow (instead of leaving there): straight-line code, no loop, every way out an
 * exit. Its instructions are numbered after the main path's.
 */
export type SidePath = Path;

const noLoop: BlockLoop = {
  head: -1,
  end: -1,
  backWhenTaken: false,
  passCycles: 0,
  passInstructions: 0,
};

/** The code of a path, one entry per instruction (a side path's code inside its branch's). */
function pathCode(
  store: DecodedInstructions,
  path: Path,
  loop: BlockLoop,
  sides: readonly (SidePath | undefined)[],
  flagSourceAtStart: FlagSource,
  firstLine: number[],
): string[] {
  const { slots, starts, ends, prefixCycles, count, firstNode, depth } = path;
  const lines: string[] = [];
  const loopHead = loop.head;
  const looping = loopHead >= 0;
  /** Whether the block goes back to its loop head after its last instruction. */
  const loopsAtEnd = looping && loop.end === count - 1;
  // What the run loop charges when the block leaves after `ran` instructions of its last
  // pass, plus taken-branch cycles. Exits hold no arithmetic: TurboFan compiles exits that
  // never ran yet, and would deoptimise the block on arithmetic without type feedback.
  const charge = (ran: number, extraCycles: number) =>
    `c.exitCycles = ${prefixCycles[ran]! + extraCycles}; c.exitInstructions = ${depth + ran}; c.exitNode = ${firstNode + ran};`;
  // Leaves for the eip `offset` bytes from the entry, or (leaveFor) for `target`.
  const leaveTo = (ran: number, extraCycles: number, offset: number) =>
    `${charge(ran, extraCycles)} c.exitOffset = ${offset}; return base;`;
  const leaveFor = (ran: number, target: string) =>
    `${charge(ran, 0)} c.exitOffset = 0; return ${target};`;
  // ret (popping `popBytes` with its return address) at instruction `k`: leaves for the target.
  const returnCode = (node: number, popBytes: number) =>
    `{ const sp = r[4]; const t = ${loadCode(32, "sp", node, "stack")}; r[4] = (sp + ${popBytes}) | 0; ${leaveFor(count, "t")} }`;
  const whole = charge(count, 0);
  // The code of the side path at conditional branch k, if the block has one there.
  const sideCode = (k: number, source: FlagSource) => {
    const side = sides[k];
    return side && pathCode(store, side, noLoop, [], source, []).join("\n");
  };
  const taken = cpuCostCycles.branchTakenExtra;
  let flagSource = flagSourceAtStart;
  for (let k = 0; k < count; k++) {
    firstLine.push(lines.length);
    // A loop head is reached from before it and from the block's end: flags unknown there.
    if (k === loopHead) flagSource = unknownOp;
    const slot = slots[k]!;
    const kind = store.kind[slot]!;
    const d = store.dst[slot]!;
    const s = store.src[slot]!;
    const imm = store.imm[slot]!;
    const op = store.cc[slot]!;
    const next = `(base + ${ends[k]}) | 0`;
    const ea = addressExpression(store, slot);
    const node = firstNode + k;
    const step = `c.blockStep = ${node};`;
    const last = k === count - 1;
    switch (kind) {
      case FastKind.MovRegReg:
        lines.push(`r[${d}] = r[${s}];`);
        break;
      case FastKind.MovRegImm:
        lines.push(`r[${d}] = ${imm};`);
        break;
      case FastKind.MovLoad:
        lines.push(`{ const ad = ${ea}; r[${d}] = ${loadCode(32, "ad", node, "operand")}; }`);
        break;
      case FastKind.MovStore:
        lines.push(`{ const ad = ${ea}; ${storeCode(32, "ad", `r[${s}]`, node, "operand")} }`);
        break;
      case FastKind.MovStoreImm:
        lines.push(`{ const ad = ${ea}; ${storeCode(32, "ad", `${imm}`, node, "operand")} }`);
        break;
      case FastKind.AluRegReg:
      case FastKind.AluRegImm:
      case FastKind.AluRegMem: {
        const operand =
          kind === FastKind.AluRegReg ? `r[${s}]` : kind === FastKind.AluRegImm ? `${imm}` : "m";
        const load =
          kind === FastKind.AluRegMem
            ? `const ad = ${ea}; const m = ${loadCode(32, "ad", node, "operand")};`
            : "";
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
          lines.push(
            `{ const ad = ${ea}; const a = ${loadCode(32, "ad", node, "operand")}; ${code} }`,
          );
        } else {
          lines.push(
            `{ const ad = ${ea}; const a = ${loadCode(32, "ad", node, "operand")}; ${flagsCode.compute} ${storeCode(32, "ad", "x", node, "operand")} ${flagsCode.record} }`,
          );
        }
        flagSource = source;
        break;
      }
      case FastKind.TestRegReg:
        lines.push(flagRecord(`f.op = ${LazyOp.Logic}; f.result = r[${d}] & r[${s}];`));
        flagSource = LazyOp.Logic;
        break;
      case FastKind.Lea:
        lines.push(`r[${d}] = ${ea};`);
        break;
      case FastKind.PushReg:
      case FastKind.PushImm: {
        const value = kind === FastKind.PushReg ? `r[${d}]` : `${imm}`;
        lines.push(
          `{ const sp = (r[4] - 4) | 0; ${storeCode(32, "sp", value, node, "stack")} r[4] = sp; }`,
        );
        break;
      }
      case FastKind.PopReg:
        lines.push(
          `{ const sp = r[4]; const v = ${loadCode(32, "sp", node, "stack")}; r[4] = (sp + 4) | 0; r[${d}] = v; }`,
        );
        break;
      case FastKind.CallRel:
        if (!last) {
          // The block goes on at the target: only the return address is pushed.
          lines.push(
            `{ const sp = (r[4] - 4) | 0; ${storeCode(32, "sp", next, node, "stack")} r[4] = sp; }`,
          );
          break;
        }
        lines.push(
          `{ const sp = (r[4] - 4) | 0; ${storeCode(32, "sp", next, node, "stack")} r[4] = sp; ${leaveTo(count, 0, ends[k]! + imm)} }`,
        );
        break;
      case FastKind.Ret:
        lines.push(returnCode(node, 4));
        break;
      case FastKind.JmpRel:
        if (!last) break; // the block goes on at the target
        if (k === loop.end) {
          lines.push(`${nextPass} ${leaveTo(count, 0, ends[k]! + imm)}`);
        } else {
          lines.push(leaveTo(count, 0, ends[k]! + imm));
        }
        break;
      case FastKind.Jcc:
        if (k === loop.end && loop.backWhenTaken) {
          // Taken, the loop goes on; not taken, the block leaves, or goes on after the loop.
          const back = `if (${conditionCode(op, flagSource)}) { ${nextPass} ${leaveTo(k + 1, taken, ends[k]! + imm)} }`;
          lines.push(last ? `${back} ${leaveTo(k + 1, 0, ends[k]!)}` : `${back} break;`);
          break;
        }
        if (k === loop.end) {
          // Not taken, it runs on into the loop head.
          lines.push(
            `if (${conditionCode(op, flagSource)}) { ${leaveTo(count, taken, ends[k]! + imm)} } ${nextPass} ${leaveTo(count, 0, ends[k]!)}`,
          );
          break;
        }
        if (followsTakenBranch(store, slots, starts, ends, k, count)) {
          // The block goes on at the target (its cycles include the taken penalty); not
          // taken, it ends after k + 1 instructions.
          const otherWay = sideCode(k, flagSource) ?? leaveTo(k + 1, -taken, ends[k]!);
          lines.push(`if (!(${conditionCode(op, flagSource)})) { ${otherWay} }`);
          break;
        }
        if (!last) {
          // A side exit: taken, the block ends after k + 1 instructions; else it goes on.
          const otherWay = sideCode(k, flagSource) ?? leaveTo(k + 1, taken, ends[k]! + imm);
          lines.push(`if (${conditionCode(op, flagSource)}) { ${otherWay} }`);
          break;
        }
        lines.push(
          `if (${conditionCode(op, flagSource)}) { ${leaveTo(count, taken, ends[k]! + imm)} } ${leaveTo(count, 0, ends[k]!)}`,
        );
        break;
      case FastKind.IncReg:
      case FastKind.DecReg: {
        const increment = kind === FastKind.IncReg;
        lines.push(
          `{ const a = r[${d}]; const x = (a ${increment ? "+" : "-"} 1) | 0; r[${d}] = x; ${keepingCarryCode(increment, flagSource)} }`,
        );
        flagSource = increment ? LazyOp.Inc : LazyOp.Dec;
        break;
      }
      case FastKind.MovzxLoad8:
        lines.push(`{ const ad = ${ea}; r[${d}] = ${loadCode(8, "ad", node, "operand")}; }`);
        break;
      case FastKind.MovsxLoad8:
        lines.push(
          `{ const ad = ${ea}; r[${d}] = (${loadCode(8, "ad", node, "operand")} << 24) >> 24; }`,
        );
        break;
      case FastKind.MovzxLoad16:
        lines.push(`{ const ad = ${ea}; r[${d}] = ${loadCode(16, "ad", node, "operand")}; }`);
        break;
      case FastKind.MovsxLoad16:
        lines.push(
          `{ const ad = ${ea}; r[${d}] = (${loadCode(16, "ad", node, "operand")} << 16) >> 16; }`,
        );
        break;
      case FastKind.MovzxReg8:
        lines.push(s < 4 ? `r[${d}] = r[${s}] & 255;` : `r[${d}] = (r[${s - 4}] >>> 8) & 255;`);
        break;
      case FastKind.ShiftRegImm: {
        const count = imm & 31;
        if (count === 0) break;
        lines.push(`{ ${shiftCode(op, d, count)} }`);
        flagSource = LazyOp.Explicit;
        break;
      }
      case FastKind.ImulRegReg:
      case FastKind.ImulRegRegImm: {
        const [a, b] =
          kind === FastKind.ImulRegReg ? [`r[${d}]`, `r[${s}]`] : [`r[${s}]`, `${imm}`];
        lines.push(
          `{ const a = ${a}, b = ${b}; const x = Math.imul(a, b); const o = a * b !== x ? 1 : 0; r[${d}] = x; ${flagRecord(`f.op = ${LazyOp.Explicit}; f.a = o; f.b = o; f.result = x;`)} }`,
        );
        flagSource = LazyOp.Explicit;
        break;
      }
      case FastKind.CmovRegReg:
        lines.push(`if (${conditionCode(op, flagSource)}) r[${d}] = r[${s}];`);
        break;
      case FastKind.Nop:
        break;
      default: {
        const touchesMemory = d === LOCATION_MEMORY || s === LOCATION_MEMORY;
        const address = touchesMemory ? `const ad = ${ea};` : "";
        const sized = sizedCode(store, slot, flagSource, node);
        if (sized !== undefined) {
          lines.push(`{ ${address} ${sized.code} }`);
          flagSource = sized.source;
          break;
        }
        const uncommon = uncommonFormCode(store, slot, flagSource, node);
        if (uncommon !== undefined) {
          lines.push(`{ ${address} ${uncommon.code} }`);
          flagSource = uncommon.source;
          break;
        }
        const counter = counterBranchCode(store.handler[slot]!, flagSource);
        if (counter !== undefined) {
          // The last instruction of its block (endsBlock): both ways leave, at the same cost.
          lines.push(
            `{ ${counter.prelude} if (${counter.taken}) { ${leaveTo(count, 0, ends[k]! + imm)} } ${leaveTo(count, 0, ends[k]!)} }`,
          );
          break;
        }
        if (store.handler[slot] === HandlerId.Ret) {
          // ret imm16: the fast kind Ret has none.
          lines.push(returnCode(node, 4 + imm));
          break;
        }
        const transfer = indirectTransferCode(store, slot, ends[k]!, node);
        if (transfer !== undefined) {
          const address = d === LOCATION_MEMORY ? `const ad = ${ea};` : "";
          lines.push(
            `{ ${address} ${transfer.replace(returnMarker, `${whole} c.exitOffset = 0; return`)} }`,
          );
          break;
        }
        // Any other generic instruction: the interpreter's handler, eip set as it expects.
        if (genericBranches(store.handler[slot]!)) {
          lines.push(
            `${step} c.eip = (${next}) >>> 0; ${registersOut} c.executeGeneric(${slot}); ${registersIn} ${leaveFor(count, "c.eip")}`,
          );
        } else {
          // After the handler wrote to decoded code the block leaves, unless it ends there
          // anyway. (The block's own stores leave before such a write: Cpu.blockWrite*.)
          const leaveIfCodeWritten =
            last && !loopsAtEnd
              ? ""
              : `if (c.codeWritten !== 0) { c.codeWritten = 0; ${leaveTo(k + 1, 0, last ? ends[k]! : starts[k + 1]!)} }`;
          lines.push(
            `${step} ${registersOut} c.executeGeneric(${slot}); ${registersIn} ${leaveIfCodeWritten}`,
          );
        }
        flagSource = unknownOp;
        break;
      }
    }
  }
  const lastSlot = slots[count - 1]!;
  if (!endsBlock(store.kind[lastSlot]!, store.handler[lastSlot]!)) {
    // The next instruction follows in memory (it is the loop head when the block loops).
    const pass = loopsAtEnd ? nextPass : "";
    lines.push(`${pass} ${leaveTo(count, 0, ends[count - 1]!)}`);
  }
  return dropDeadFlagRecords(lines);
}

/** Where indirectTransferCode returns; the block's charge goes before it. */
const returnMarker = "/*return*/";

/** Placeholders the generic-handler calls carry until withStateInLocals fills them. */
const registersOut = "/*registers-out*/";
const registersIn = "/*registers-in*/";

/**
 * Keeps the guest registers the block names in JavaScript locals (e0..e7) instead of the
 * Int32Array, and the lazy-flag record (op, a, b, result) in fo, fa, fb, fx instead of
 * `f`: loaded on entry (the record not, when the block makes one before any use of it:
 * C bench 20 -1.3 % host instructions, CoreMark 3000 -0.8 %); the ones the block assigns
 * are stored back when the function leaves by return or by a fault (finally) and before
 * each call of the interpreter's generic handlers, which read cpu.r and `f` and may write
 * any of them (all are loaded again after it); the flag record is also stored before a
 * LazyFlags method reads it.
 * Registers and flags only change after an instruction's last faulting access, so at a
 * fault the locals hold the state before the faulting instruction, as cpu.r and `f` would.
 */
function withStateInLocals(body: string, onLeaving: string): string {
  const numbers = (pattern: RegExp) =>
    [...new Set(Array.from(body.matchAll(pattern), (m) => Number(m[1])))].sort();
  const generic = body.includes(registersOut);
  const registers = generic ? [0, 1, 2, 3, 4, 5, 6, 7] : numbers(/\br\[([0-7])\]/g);
  const assigned = numbers(/\br\[([0-7])\] =(?!=)/g);
  const flags = generic || flagField.test(body);
  const flagsAssigned = flagFieldAssigned.test(body);
  const registerLoads = registers.map((i) => `e${i} = r[${i}]`);
  const loads = [...registerLoads];
  const stores = assigned.map((i) => `r[${i}] = e${i};`);
  // A block whose first use of the record is one it always makes need not load it: the
  // locals start at op -1, and the record is stored only once it was made.
  const firstRecord = body.search(flagFieldAssigned);
  const firstRead = [body.search(flagsRead), body.indexOf(flagsSync), body.indexOf(registersOut)]
    .filter((at) => at >= 0)
    .reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY);
  // A record after an `if` on its line may be skipped (a shift by cl of 0 keeps the flags).
  const recordLine = body.slice(body.lastIndexOf("\n", firstRecord) + 1, firstRecord);
  const recordFirst = flagsAssigned && firstRecord < firstRead && !recordLine.includes("if (");
  const recordStores = flagLocals.map(([local, field]) => `${field} = ${local};`).join(" ");
  if (flags) loads.push(...flagLocals.map(([local, field]) => `${local} = ${field}`));
  if (recordFirst) stores.push(`if (fo !== -1) { ${recordStores} }`);
  else if (flagsAssigned) stores.push(recordStores);
  const store = stores.join(" ");
  // After a generic handler the record is loaded again (`loads`, registersIn), as it may change.
  const entryLoads = recordFirst ? [...registerLoads, "fo = -1, fa = 0, fb = 0, fx = 0"] : loads;
  const renamed = body
    .replace(/\br\[([0-7])\]/g, "e$1")
    .replace(flagFieldGlobal, (field) => flagLocalOf.get(field)!)
    .replaceAll(
      flagsSync,
      flagsAssigned ? flagLocals.map(([local, field]) => `${field} = ${local},`).join(" ") : "",
    )
    .replaceAll(registersOut, store)
    .replaceAll(registersIn, loads.map((load) => `${load};`).join(" "));
  const declarations = entryLoads.length === 0 ? "" : `let ${entryLoads.join(", ")};`;
  return `${memoryLocals(body)}\n${declarations}\n${finallyAround(renamed, `${store} ${onLeaving}`)}`;
}

/** The lazy-flag record's fields and the locals that hold them in a block. */
const flagLocals = [
  ["fo", "f.op"],
  ["fa", "f.a"],
  ["fb", "f.b"],
  ["fx", "f.result"],
];
const flagLocalOf = new Map(flagLocals.map(([local, field]) => [field!, local!]));
const flagField = /\bf\.(op|a|b|result)\b/;
const flagFieldGlobal = /\bf\.(op|a|b|result)\b/g;
const flagFieldAssigned = /\bf\.(op|a|b|result) =(?!=)/;
/** Any use of `f` but an assignment to a record field. */
const flagsRead = /\bf\.(?!(op|a|b|result) =(?!=))/;

/** `body`, with `onLeaving` run however it leaves (return or fault), if there is any. */
function finallyAround(body: string, onLeaving: string): string {
  if (onLeaving.trim() === "") return body;
  return `try {\n${body}\n} finally { ${onLeaving} }`;
}

/**
 * A block's loop: after instruction `end` the block may go back to instruction `head` (a
 * direct jump or a conditional branch to it, or running on into it); when `end` is a
 * conditional branch before the block's last instruction, the block goes on after it when it
 * is not taken. A block has one loop at most; head and end are -1 when it has none.
 */
export interface BlockLoop {
  readonly head: number;
  readonly end: number;
  /**
   * Whether `end` is a conditional branch that goes back to the head when taken (else the
   * block goes back by a jump, or by running on into the head).
   */
  readonly backWhenTaken: boolean;
  /** Cycles of one complete pass from the head that goes on to another (0 with no loop). */
  readonly passCycles: number;
  /** Instructions of such a pass (0 with no loop). */
  readonly passInstructions: number;
}

/** The loop from instruction `head` to `end` of a block, or none when head is -1. */
export function blockLoop(
  store: DecodedInstructions,
  slots: Int32Array,
  starts: Int32Array,
  ends: Int32Array,
  prefixCycles: Int32Array,
  head: number,
  end: number,
): BlockLoop {
  if (head < 0) return { head, end, backWhenTaken: false, passCycles: 0, passInstructions: 0 };
  const backWhenTaken = loopsWhenTaken(store, slots, starts, ends, head, end);
  const taken = backWhenTaken ? cpuCostCycles.branchTakenExtra : 0;
  const passCycles = prefixCycles[end + 1]! - prefixCycles[head]! + taken;
  return { head, end, backWhenTaken, passCycles, passInstructions: end + 1 - head };
}

/** Whether the block goes back to its loop head when the conditional branch ending the loop is taken (else when it is not, running on into the head). */
function loopsWhenTaken(
  store: DecodedInstructions,
  slots: Int32Array,
  starts: Int32Array,
  ends: Int32Array,
  head: number,
  end: number,
): boolean {
  const last = slots[end]!;
  return store.kind[last] === FastKind.Jcc && ends[end]! + store.imm[last]! === starts[head];
}

/**
 * Whether instruction k is a conditional branch the block follows to its target (the next
 * instruction of the block is not the one after it in memory).
 */
export function followsTakenBranch(
  store: DecodedInstructions,
  slots: Int32Array,
  starts: Int32Array,
  ends: Int32Array,
  k: number,
  count: number,
): boolean {
  return k < count - 1 && store.kind[slots[k]!] === FastKind.Jcc && starts[k + 1] !== ends[k];
}

/**
 * Cycles from the block's entry to the start of each of a path's `count` instructions, and
 * to its end, the first starting `fromCycles` in: a conditional branch the path follows is
 * taken (its extra cycles counted).
 */
export function pathCycles(
  store: DecodedInstructions,
  slots: Int32Array,
  starts: Int32Array,
  ends: Int32Array,
  count: number,
  fromCycles: number,
): Int32Array {
  const cycles = new Int32Array(count + 1);
  cycles[0] = fromCycles;
  for (let k = 0; k < count; k++) {
    const taken = followsTakenBranch(store, slots, starts, ends, k, count)
      ? cpuCostCycles.branchTakenExtra
      : 0;
    cycles[k + 1] = cycles[k]! + store.costCycles[slots[k]!]! + taken;
  }
  return cycles;
}

/**
 * Continues with another pass when, after this one, every instruction the block may still
 * run would start in budget (the rule Cpu.run applies to every block run): the passes so
 * far cost prefixCycles[head] plus n + 1 passes, and the block's latest instruction to start
 * (in the next pass, after the loop or on a side path) starts at most latestStart -
 * prefixCycles[head] later. So another pass fits while (n + 1) * passCycles + latestStart <
 * budgetCycles, that is while n < passesMax (passesLimit), worked out once as the block starts.
 */
const nextPass = "if (n < passesMax) { n++; continue; }";

/**
 * The passes a looping block may complete before its last, floor((budgetCycles -
 * latestStart - 1) / passCycles) (budgetCycles is above latestStart, checked first), capped
 * at loopPassesPerRunMax: a pass test is then one compare, where `(n + 1) * passCycles +
 * constant < budgetCycles` took a multiply and an add, each checked for overflow, on every
 * pass (C bench 20 -2.3 % host instructions, CoreMark 3000 -1.6 %). It is exact for a whole
 * budget; for a budget with a fraction (Cpu.run takes any) and at the cap it may end the loop
 * early, which is exact too: the block leaves at its loop head, and the run loop goes on from
 * there.
 */
function passesLimit(latestStart: number, loop: BlockLoop): string {
  return `const passesMax = Math.min((budgetCycles - ${latestStart + 1}) / ${loop.passCycles}, ${loopPassesPerRunMax}) | 0;`;
}

/**
 * passesMax's cap: a run of a block completes at most this many passes of its loop before its
 * last, however large its budget. A loop that ran for a whole time slice in the block's first
 * runs got its TurboFan code by on-stack replacement, built before any of the block's exits
 * had run: the exits had no type feedback, so the code deoptimised at the first exit taken,
 * and V8 compiled the block again (C bench 20: 12 on-stack compiles and 15 deoptimisations a
 * run). Returning to the run loop every 1,024 passes lets the exits run early and V8 use a
 * regular compile at the next call (5 and 7; the deoptimisations left are the interpreter's):
 * C bench 20 -4.0 % host instructions, CoreMark 300 and 1000 unchanged; 16, 64, 256 and 4,096
 * passes gave +3.3, -2.9, -3.7 and -1.7 % (docs/cpu.md). One more dispatch per 1,024 passes
 * costs nothing measurable.
 */
export const loopPassesPerRunMax = 1024;

/**
 * Block functions already made in this thread, by source. A function takes the processor
 * and its arrays as parameters and closes over nothing, so equal source means equal
 * behaviour: the nodes a worker thread runs share one function (and V8 optimises it once,
 * not once per node) when they run the same code. Cleared when full: the bound is on
 * memory, and a dropped entry costs only a recompile.
 */
const blockFunctionsBySource = new Map<string, BlockFunction>();
const blockFunctionsBySourceMax = 4096;

export function compileBlockFunction(source: string): BlockFunction {
  const known = blockFunctionsBySource.get(source);
  if (known !== undefined) return known;
  if (blockFunctionsBySource.size >= blockFunctionsBySourceMax) blockFunctionsBySource.clear();
  // Strict mode: C bench 20 -0.5 % and CoreMark 1000 -0.4 % host instructions (whole runs),
  // about 6 a dispatch.
  const made = new Function(
    "c",
    "r",
    "f",
    "base",
    "budgetCycles",
    `"use strict";\n${source}`,
  ) as BlockFunction;
  blockFunctionsBySource.set(source, made);
  return made;
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

/** The handler of each AluOp, whose size-generic code (sizedAlu) the fast ALU kinds share. */
const handlerOfAluOp = [
  HandlerId.Add,
  HandlerId.Or,
  HandlerId.Adc,
  HandlerId.Sbb,
  HandlerId.And,
  HandlerId.Sub,
  HandlerId.Xor,
  HandlerId.Cmp,
];

/** Code for `x = a op b` on 32-bit operands (a is bound by the caller) and its lazy-flag record. */
function aluCode(op: number, b: string): AluCode {
  const { compute, record, source } = sizedAlu(handlerOfAluOp[op]!, 32);
  const boundCompute = `const b = ${b}; ${compute}`;
  return {
    code: `${boundCompute} ${record}`,
    flagsCode: { compute: boundCompute, record },
    source,
  };
}

function shiftCode(op: number, reg: number, count: number): string {
  if (op === ShiftOp.Shl) {
    return `const v = r[${reg}]; const x = v << ${count}; const cy = (v >>> ${32 - count}) & 1; r[${reg}] = x; ${flagRecord(`f.op = ${LazyOp.Explicit}; f.a = cy; f.b = (x >>> 31) ^ cy; f.result = x;`)}`;
  }
  if (op === ShiftOp.Shr) {
    return `const v = r[${reg}]; const x = (v >>> ${count}) | 0; r[${reg}] = x; ${flagRecord(`f.op = ${LazyOp.Explicit}; f.a = (v >>> ${count - 1}) & 1; f.b = v >>> 31; f.result = x;`)}`;
  }
  return `const v = r[${reg}]; const x = v >> ${count}; r[${reg}] = x; ${flagRecord(`f.op = ${LazyOp.Explicit}; f.a = (v >> ${count - 1}) & 1; f.b = 0; f.result = x;`)}`;
}

/**
 * Code for the common size-generic forms (any operand size and shape) of mov, movzx,
 * movsx, lea, the ALU operations, inc, dec, neg, not, setcc, cmovcc, imul and 32-bit
 * one-operand mul/imul, mirroring
 * execute.ts; a memory operand's address is in `ad`. Undefined for other handlers.
 */
function sizedCode(
  store: DecodedInstructions,
  slot: number,
  flagSource: FlagSource,
  step: number,
): { code: string; source: FlagSource } | undefined {
  const { handler, size, dst, src, imm, read, write } = slotOperands(store, slot, step);
  switch (handler) {
    case HandlerId.Mov:
      return { code: `const v = ${read(src, size)}; ${write(dst, size, "v")}`, source: flagSource };
    case HandlerId.Movzx:
    case HandlerId.Movsx: {
      const bits = rowOperandBits[store.row[slot]! * 3 + 1]!;
      const value =
        handler === HandlerId.Movzx ? `${read(src, bits)} & ${maskOf(bits)}` : read(src, bits);
      return { code: `const v = ${value}; ${write(dst, size, "v")}`, source: flagSource };
    }
    case HandlerId.Lea:
      return { code: write(dst, size, addressExpression(store, slot)), source: flagSource };
    case HandlerId.Add:
    case HandlerId.Or:
    case HandlerId.Adc:
    case HandlerId.Sbb:
    case HandlerId.And:
    case HandlerId.Sub:
    case HandlerId.Xor:
    case HandlerId.Cmp:
    case HandlerId.Test: {
      const operation = sizedAlu(handler, size);
      const store =
        handler === HandlerId.Cmp || handler === HandlerId.Test ? "" : write(dst, size, "x");
      return {
        code: `const a = ${read(dst, size)}; const b = ${read(src, size)}; ${operation.compute} ${store} ${operation.record}`,
        source: operation.source,
      };
    }
    case HandlerId.Inc:
    case HandlerId.Dec: {
      const increment = handler === HandlerId.Inc;
      return {
        code: `const a = ${read(dst, size)}; const x = ${signExtendCode(`a ${increment ? "+" : "-"} 1`, size)}; ${write(dst, size, "x")} ${keepingCarryCode(increment, flagSource)}`,
        source: increment ? LazyOp.Inc : LazyOp.Dec,
      };
    }
    case HandlerId.Neg:
      return {
        code: `const a = ${read(dst, size)}; const x = ${signExtendCode("-a", size)}; ${write(dst, size, "x")} ${flagRecord(`f.op = ${LazyOp.Sub}; f.a = 0; f.b = a; f.result = x;`)}`,
        source: LazyOp.Sub,
      };
    case HandlerId.Not:
      return {
        code: `const a = ${read(dst, size)}; ${write(dst, size, "~a")}`,
        source: flagSource,
      };
    case HandlerId.Setcc:
      return {
        code: write(dst, 8, `(${conditionCode(store.cc[slot]!, flagSource)} ? 1 : 0)`),
        source: flagSource,
      };
    case HandlerId.Cmovcc:
      return {
        code: `const v = ${read(src, size)}; if (${conditionCode(store.cc[slot]!, flagSource)}) { ${write(dst, size, "v")} }`,
        source: flagSource,
      };
    case HandlerId.Shl:
    case HandlerId.Shr:
    case HandlerId.Sar:
    case HandlerId.Rol:
    case HandlerId.Ror: {
      if (imm < 0) return undefined;
      const rotate = handler === HandlerId.Rol || handler === HandlerId.Ror;
      return {
        code: shiftByConstantCode(handler, size, dst, imm & 31, read, write),
        // After a rotate the flags are in f.word: conditionCode's shortcuts read a record.
        source: (imm & 31) === 0 ? flagSource : rotate ? unknownOp : LazyOp.Explicit,
      };
    }
    case HandlerId.Push:
      if (dst !== LOCATION_MEMORY) return undefined;
      return {
        code: `const v = ${read(dst, size)}; const sp = (r[4] - ${size / 8}) | 0; ${storeCode(size, "sp", "v", step, "stack")} r[4] = sp;`,
        source: flagSource,
      };
    case HandlerId.SignExtendAccumulator:
      return { code: write(0, size, read(0, size / 2)), source: flagSource };
    case HandlerId.SignExtendIntoDx:
      return { code: write(2, size, `${read(0, size)} >> 31`), source: flagSource };
    case HandlerId.Imul: {
      const three = rowOperandCount[store.row[slot]!] === 3;
      const a = read(three ? src : dst, size);
      const b = three ? `${signExtend(imm, size)}` : read(src, size);
      const low = size === 32 ? "Math.imul(a, b)" : signExtendCode("p", size);
      return {
        code: `const a = ${a}; const b = ${b}; const p = a * b; const x = ${low}; const o = p !== x ? 1 : 0; ${write(dst, size, "x")} ${flagRecord(`f.op = ${LazyOp.Explicit}; f.a = o; f.b = o; f.result = x;`)}`,
        source: LazyOp.Explicit,
      };
    }
    case HandlerId.Mul:
    case HandlerId.ImulWide: {
      if (size !== 32) return undefined;
      // edx:eax = eax * operand, through wide-arithmetic.ts as execute.ts's multiplyWide.
      const signed = handler === HandlerId.ImulWide;
      const overflow = signed ? "hi !== x >> 31" : "hi !== 0";
      return {
        code: `const v = ${read(dst, 32)}; const w = c.wideArithmetic; w.${signed ? "multiplySigned" : "multiplyUnsigned"}(r[0], v); const x = w.wide.low, hi = w.wide.high; r[0] = x; r[2] = hi; const o = ${overflow} ? 1 : 0; ${flagRecord(`f.op = ${LazyOp.Explicit}; f.a = o; f.b = o; f.result = x;`)}`,
        source: LazyOp.Explicit,
      };
    }
    default:
      return undefined;
  }
}

/**
 * shl/shr/sar/rol/ror of any size by a count known at compile time, as execute.ts's
 * shiftOrRotate: a count of 0 (after masking to 5 bits) still reads the operand (it may
 * fault) and changes nothing.
 */
function shiftByConstantCode(
  handler: number,
  size: number,
  dst: number,
  count: number,
  read: (location: number, bits: number) => string,
  write: (location: number, bits: number, value: string) => string,
): string {
  const before = `const a = ${read(dst, size)};`;
  if (count === 0) return before;
  const mask = maskOf(size);
  const top = size - 1;
  if (handler === HandlerId.Rol || handler === HandlerId.Ror) {
    // Rotates change only CF and OF: the other status flags are folded into f.word first
    // (materialise) and the two are edited there.
    const compute = rotateCode(handler === HandlerId.Rol, size, count, mask, top);
    return `${before} ${compute} ${write(dst, size, "x")} ${editCarryAndOverflow}`;
  }
  let compute: string;
  if (handler === HandlerId.Shl) {
    const carry = count <= size ? `((a & ${mask}) >>> ${size - count}) & 1` : "0";
    compute = `const cy = ${carry}; const x = ${signExtendCode(`a << ${count}`, size)}; const o = ((x >>> ${top}) & 1) ^ cy;`;
  } else if (handler === HandlerId.Shr) {
    compute = `const cy = ((a & ${mask}) >>> ${count - 1}) & 1; const x = ${signExtendCode(`(a & ${mask}) >>> ${count}`, size)}; const o = (a >>> ${top}) & 1;`;
  } else {
    compute = `const cy = (a >> ${count - 1}) & 1; const x = a >> ${count}; const o = 0;`;
  }
  return `${before} ${compute} ${write(dst, size, "x")} ${flagRecord(shiftRecord)}`;
}

/**
 * `x`, `cy` and `o` of rol/ror by a non-zero count, as execute.ts's rotate: a count that is a
 * multiple of the size leaves the value but still sets the flags from it.
 */
function rotateCode(left: boolean, size: number, count: number, mask: number, top: number): string {
  const by = count % size;
  const value = `(a & ${mask})`;
  const rotated =
    by === 0
      ? value
      : left
        ? `((${value} << ${by}) | (${value} >>> ${size - by}))`
        : `((${value} >>> ${by}) | (${value} << ${size - by}))`;
  return `const u = ${rotated} & ${mask}; ${rotateFlagsCode(left, top)} const x = ${signExtendCode("u", size)};`;
}

/**
 * jmp and call through a register or memory (32-bit): the target is read first (a memory
 * operand may fault), then call pushes the return address; the block returns the target.
 * A memory operand's address is in `ad`. Undefined for other instructions.
 */
function indirectTransferCode(
  store: DecodedInstructions,
  slot: number,
  nextOffset: number,
  step: number,
): string | undefined {
  const handler = store.handler[slot]!;
  const dst = store.dst[slot]!;
  if (handler !== HandlerId.Jmp && handler !== HandlerId.Call) return undefined;
  if (store.size[slot] !== 32 || dst === LOCATION_NONE) return undefined;
  const target = dst === LOCATION_MEMORY ? loadCode(32, "ad", step, "operand") : `r[${dst}]`;
  if (handler === HandlerId.Jmp) return `const t = ${target}; ${returnMarker} t;`;
  return `const t = ${target}; const sp = (r[4] - 4) | 0; ${storeCode(32, "sp", `(base + ${nextOffset}) | 0`, step, "stack")} r[4] = sp; ${returnMarker} t;`;
}

/** `x` for an ALU op on sign-extended a and b, and its lazy-flag record. */
function sizedAlu(
  handler: number,
  size: number,
): { compute: string; record: string; source: FlagSource } {
  const result = (expression: string) => `const x = ${signExtendCode(expression, size)};`;
  switch (handler) {
    case HandlerId.Add:
      return {
        compute: result("a + b"),
        record: lazyRecord(LazyOp.Add),
        source: LazyOp.Add,
      };
    case HandlerId.Adc:
      return {
        compute: `const cy = (${flagsSync} f.cf()); ${result("a + b + cy")}`,
        record: flagRecord(
          `f.op = cy ? ${LazyOp.AddCarry} : ${LazyOp.Add}; f.a = a; f.b = b; f.result = x;`,
        ),
        source: unknownOp,
      };
    case HandlerId.Sub:
    case HandlerId.Cmp:
      return {
        compute: result("a - b"),
        record: lazyRecord(LazyOp.Sub),
        source: LazyOp.Sub,
      };
    case HandlerId.Sbb:
      return {
        compute: `const cy = (${flagsSync} f.cf()); ${result("a - b - cy")}`,
        record: flagRecord(
          `f.op = cy ? ${LazyOp.SubBorrow} : ${LazyOp.Sub}; f.a = a; f.b = b; f.result = x;`,
        ),
        source: unknownOp,
      };
    default: {
      const symbol = handler === HandlerId.Or ? "|" : handler === HandlerId.Xor ? "^" : "&";
      return {
        compute: result(`a ${symbol} b`),
        record: flagRecord(`f.op = ${LazyOp.Logic}; f.result = x;`),
        source: LazyOp.Logic,
      };
    }
  }
}

/**
 * inc/dec keep CF: as LazyFlags.setKeepingCarry, CF moves into f.word from the record that
 * holds it, then the new record is made. The carry's formula is chosen here when the block
 * made that record itself.
 */
function keepingCarryCode(increment: boolean, source: FlagSource): string {
  const record = flagRecord(
    `f.op = ${increment ? LazyOp.Inc : LazyOp.Dec}; f.a = a; f.b = 1; f.result = x;`,
  );
  switch (source) {
    case LazyOp.Inc:
    case LazyOp.Dec:
      return record; // CF is in f.word already
    case LazyOp.Logic:
      return `f.word &= -2; ${record}`;
    default:
      return `f.word = (f.word & -2) | ${carryCode(source)}; ${record}`;
  }
}

/** Code that may observe the lazy flags: reads them, leaves the block, faults or loops. */
const observesFlags = /\bf\.|return|continue|blockStep|c\.read|c\.blockWrite|executeGeneric/;

/**
 * Drops each flag record that a later one overwrites before anything can observe it: no
 * flag read, exit, loop back, generic handler or access that may fault in between (so
 * flags at every exit and fault are unchanged). A record replaces an earlier one when it
 * sets all four fields, or both set only op and result (a logic result).
 */
function dropDeadFlagRecords(lines: string[]): string[] {
  const out = lines.slice();
  let pending = -1;
  let pendingLogic = false;
  for (let i = 0; i < out.length; i++) {
    const line = out[i]!;
    let at = 0;
    for (const match of line.matchAll(markedRecord)) {
      if (observesFlags.test(line.slice(at, match.index))) pending = -1;
      const logic = !match[1]!.includes("f.a =");
      if (pending >= 0 && (!logic || pendingLogic)) {
        out[pending] = out[pending]!.replace(markedRecord, "");
      }
      pending = i;
      pendingLogic = logic;
      at = match.index + match[0].length;
    }
    if (observesFlags.test(line.slice(at))) pending = -1;
  }
  return out.map((line) => line.replace(markedRecord, "$1"));
}
