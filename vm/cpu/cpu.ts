// The i386 CPU at CPL 3 in flat 32-bit protected mode: registers, lazy EFLAGS, the run
// loop and guest memory access through the MMU's TLB. Instructions are decoded once per
// physical page (decode-cache.ts), interpreted (execute-fast.ts) the first 200 times, then
// compiled per basic block into JavaScript (block-compiler.ts). Exceptions are precise:
// an instruction changes registers only after its last access that can fault, so on a
// fault the state is as before it and eip points at it. `int n` is a trap (eip after it).
// Left out: segmentation (flat), CPL 0, interrupts (the machine stops the run instead),
// x87/MMX/SSE, alignment checks, the 0x67 prefix.

import type { PhysicalMemory } from "../memory/physical-memory.ts";
import { Access, type Mmu } from "../mmu/mmu.ts";
import { tlbIndexMask } from "../mmu/tlb.ts";
import {
  BlockCache,
  blockInstructionsMax,
  blockNodesMax,
  compileThreshold as defaultCompileThreshold,
  sidePathInstructionsMax,
  sidePathShare,
} from "./block-cache.ts";
import {
  blockLoop,
  blockSource,
  compilable,
  compileBlockFunction,
  endsBlock,
  followsTakenBranch,
  pathCycles,
  type SidePath,
} from "./block-compiler.ts";
import { codeWriteStop } from "./code-write-stop.ts";
import { cpuCostCycles } from "./cost-table.ts";
import type { CpuState } from "./cpu-state.ts";
import { DecodeCache } from "./decode-cache.ts";
import {
  type DecodedInstructions,
  LOCATION_IMMEDIATE,
  LOCATION_MEMORY,
  SLOT_NONE,
  SLOT_SCRATCH,
} from "./decoded-instructions.ts";
import { DECODE_NEED_BYTES, DECODE_UNDEFINED, Decoder, instructionBytesMax } from "./decoder.ts";
import { FLAG_TF } from "./eflags.ts";
import {
  VECTOR_DEBUG,
  VECTOR_GENERAL_PROTECTION,
  VECTOR_INVALID_OPCODE,
  VECTOR_PAGE_FAULT,
} from "./exception-vector.ts";
import { executeGeneric } from "./execute.ts";
import { executeFast, StepOutcome } from "./execute-fast.ts";
import { FastKind } from "./fast-kind.ts";
import { guestFault } from "./guest-fault.ts";
import { LazyFlags } from "./lazy-flags.ts";
import { RecentEips, recentEntryMask, recentPassUnit } from "./recent-eips.ts";
import { StopReason } from "./stop-reason.ts";
import {
  divideSigned,
  divideUnsigned,
  multiplySigned,
  multiplyUnsigned,
  wide,
} from "./wide-arithmetic.ts";

export type { CpuState } from "./cpu-state.ts";

/**
 * run(0) this many times, once per thread, when the first CPU is made: the code after run's
 * loop then has type feedback before V8 optimises the loop by on-stack replacement during a
 * long first call. Without it, that optimised code deoptimised where the loop ends, at every
 * return (about 140 times in a CoreMark 1000 run), and the dispatch loop ran in baseline code
 * until it was optimised again: 2,850 M host instructions there against 2,350 M in optimised
 * code with it, of about 15,000 M (valgrind, node --predictable).
 */
const runTailWarmUpCalls = 100;
let runTailWarmed = false;

export interface CpuOptions {
  /**
   * Interpretations of an instruction before a block is compiled at it (1..255); 0 never
   * compiles (pure interpretation, for tests that compare the two).
   */
  compileThreshold?: number;
}

export const ESP = 4;
export const EBP = 5;

/**
 * Whether the interpreter saw the conditional branch in `slot` go back at least 15 times in
 * 16 (of 16 runs or more, before the byte counters wrap): a block ending its loop there
 * then leaves when the loop ends instead of going on after it. V8 optimises a long loop by
 * on-stack replacement before the code after it ever ran, and (node 20) kept that code and
 * deoptimised it at every loop end: the C bench's sieve block 1260 times a run.
 */
function loopRunsLong(store: DecodedInstructions, slot: number): boolean {
  const runs = store.heat[slot]!;
  const taken = store.taken[slot]!;
  return runs >= 16 && taken <= runs && taken * 16 >= runs * 15;
}

/**
 * Where a path goes on after the branch in `slot` (page offsets `offset` to `end`), or -1
 * when it cannot: a conditional branch the way the interpreter saw it go most often
 * (backward when it has not run: loops take those) when that is on the page, a direct jmp or
 * call to its target on the page.
 */
function followedOffset(
  store: DecodedInstructions,
  slot: number,
  offset: number,
  end: number,
): number {
  const kind = store.kind[slot]!;
  const target = end + store.imm[slot]!;
  const onPage = target >= 0 && target < 4096;
  if (kind === FastKind.Jcc) {
    const runs = store.heat[slot]!;
    const mostlyTaken = runs === 0 ? target < offset : 2 * store.taken[slot]! > runs;
    return onPage && mostlyTaken ? target : end;
  }
  return (kind === FastKind.JmpRel || kind === FastKind.CallRel) && onPage ? target : -1;
}

/**
 * BlockInfo's per-instruction tables of a block with a main path of `count` instructions
 * (cycles `prefixCycles`) and side paths `sides`, and the latest start of any instruction.
 */
function instructionTables(
  prefixCycles: Int32Array,
  count: number,
  sides: readonly (SidePath | undefined)[],
) {
  const total = sides.reduce((sum, side) => sum + (side?.count ?? 0), count);
  const startCycles = new Int32Array(total);
  const depths = new Int32Array(total);
  const parents = new Int32Array(total);
  let latestStart = prefixCycles[count - 1]!;
  for (let k = 0; k < count; k++) {
    startCycles[k] = prefixCycles[k]!;
    depths[k] = k;
    parents[k] = k - 1;
  }
  sides.forEach((side, k) => {
    if (side === undefined) return;
    for (let j = 0; j < side.count; j++) {
      const node = side.firstNode + j;
      startCycles[node] = side.prefixCycles[j]!;
      depths[node] = side.depth + j;
      parents[node] = j === 0 ? k : node - 1;
    }
    latestStart = Math.max(latestStart, side.prefixCycles[side.count - 1]!);
  });
  return { startCycles, depths, parents, latestStart };
}

export class Cpu {
  /** EAX ECX EDX EBX ESP EBP ESI EDI. */
  readonly regs: Int32Array;
  /** The same registers plus a ninth that always reads 0 (absent base/index). */
  readonly r: Int32Array;
  readonly flags = new LazyFlags();
  eip = 0;
  /** Total cycles executed (float64 counter; the machine also charges kernel work here). */
  cycles = 0;
  /** Total instructions retired. */
  instructions = 0;
  /** After StopReason.Trap: the vector n of `int n`. */
  trapVector = 0;
  /** After StopReason.Exception: the vector and error code. */
  exceptionVector = 0;
  exceptionErrorCode = 0;

  readonly cache: DecodeCache;
  private readonly decoder = new Decoder();
  private readonly fetchBytes = new Uint8Array(instructionBytesMax + 1);
  // Guest memory and the TLB's arrays, read directly by compiled blocks (block-memory-code.ts).
  readonly bytes: Uint8Array;
  readonly view: DataView;
  /** The same bytes as aligned little-endian words and halfwords, for blocks' aligned accesses. */
  readonly words: Int32Array;
  readonly halves: Uint16Array;
  readonly tlbReadTag: Int32Array;
  readonly tlbWriteTag: Int32Array;
  readonly tlbFrame: Int32Array;
  /** 64-bit products and quotients for compiled blocks (wide-arithmetic.ts). */
  readonly wideArithmetic = {
    multiplySigned,
    multiplyUnsigned,
    divideSigned,
    divideUnsigned,
    wide,
  };
  /** Physical page number of the page decodeAt last fetched from. */
  private fetchFrame = 0;
  /** That page's offset -> slot table. */
  private fetchTable: Int32Array = new Int32Array(0);
  private readonly recent = new RecentEips();
  private readonly blocks = new BlockCache();
  private readonly blockSlots = new Int32Array(blockNodesMax);
  /** Byte offsets from the entry of each instruction of the block being compiled, and of its end. */
  private readonly blockStarts = new Int32Array(blockNodesMax);
  private readonly blockEnds = new Int32Array(blockNodesMax);
  private readonly compileThreshold: number;

  // Set by executeFast and by compiled blocks; read by the run loop.
  /** How the last interpreted instruction ended (StepOutcome). */
  stepOutcome = 0;
  /** Cycles the last interpreted instruction used. */
  stepCycles = 0;
  /** Index in its block of the instruction about to access memory. */
  blockStep = 0;
  /**
   * Passes a self-looping block completed before its last one, and their cycles and
   * instructions (set as it leaves; the run loop puts extraIterations back to 0).
   */
  extraIterations = 0;
  extraCycles = 0;
  extraInstructions = 0;
  /** Set when a write hit a page with cached code (blocks check it after generic handlers). */
  codeWritten = 0;
  /** Set when the last runTo ended at a block's store into decoded code (codeWriteStop). */
  private codeWriteStopped = false;
  /** TF was set as the instruction the run loop interprets next started: #DB follows it. */
  private stepTrapArmed = false;
  /**
   * Set by a block as it returns: the cycles and instructions of its last pass, and the
   * next eip's offset from the value it returns.
   */
  exitCycles = 0;
  exitInstructions = 0;
  exitOffset = 0;
  /** 1 + the number in its block of the last instruction the block started (BlockInfo). */
  exitNode = 0;
  /** Compiled block runs the run loop started, over the CPU's life (tools/bench/cpu-dispatches.ts). */
  blockDispatches = 0;
  /** Side paths of the blocks compiled, over the CPU's life. */
  compiledSidePaths = 0;

  constructor(
    readonly mmu: Mmu,
    readonly memory: PhysicalMemory,
    options: CpuOptions = {},
  ) {
    this.compileThreshold = options.compileThreshold ?? defaultCompileThreshold;
    this.r = new Int32Array(9);
    this.regs = this.r.subarray(0, 8);
    this.bytes = memory.bytes;
    this.view = memory.view;
    // Typed arrays use the host's byte order; the guest's is little-endian.
    if (new Uint8Array(Uint16Array.of(1).buffer)[0] !== 1) {
      throw new Error("sterna needs a little-endian host");
    }
    // Unsigned shifts: the largest memory, 2 GiB, is 2^31 bytes.
    this.words = new Int32Array(memory.bytes.buffer, 0, memory.bytes.length >>> 2);
    this.halves = new Uint16Array(memory.bytes.buffer, 0, memory.bytes.length >>> 1);
    this.tlbReadTag = mmu.tlb.readTag;
    this.tlbWriteTag = mmu.tlb.writeTag;
    this.tlbFrame = mmu.tlb.frameAddress;
    this.cache = new DecodeCache(memory, mmu.tlb);
    this.recent.startGeneration(this.blocks.infos);
    memory.onWatchedWrite = (page) => {
      this.cache.invalidatePage(page);
      this.codeWritten = 1;
    };
    if (!runTailWarmed) {
      runTailWarmed = true;
      for (let i = 0; i < runTailWarmUpCalls; i++) this.run(0);
    }
  }

  getEflags(): number {
    return this.flags.get();
  }

  /** Sets EFLAGS as given (bit 1 reads as 1). */
  setEflags(value: number): void {
    this.flags.setWord(value);
  }

  /**
   * Runs until a trap, an exception or until `budgetCycles` cycles are spent. Stops at the
   * first instruction boundary where the budget is used up, like one-at-a-time execution:
   * a compiled block runs only if every instruction in it would have started in budget.
   */
  run(budgetCycles: number): StopReason {
    const limit = this.cycles + budgetCycles;
    for (;;) {
      const reason = this.runTo(limit);
      // A block stopped before a store into decoded code, that code now dropped: run on.
      if (!this.codeWriteStopped) return reason;
    }
  }

  /** run's loop, up to cycle count `limit`; it also ends at a block's codeWriteStop. */
  private runTo(limit: number): StopReason {
    const r = this.r;
    const flags = this.flags;
    const store = this.cache.store;
    const blockOf = store.block;
    const heatOf = store.heat;
    const blocks = this.blocks;
    const recent = this.recent;
    const ringEips = recent.eips;
    const ringIds = recent.ids;
    const ringStarted = recent.started;
    const compileThreshold = this.compileThreshold;
    let blockFunctions = blocks.functions;
    let eip = this.eip | 0;
    let cycles = this.cycles;
    let retired = this.instructions;
    let ringCount = recent.count;
    let reason = StopReason.Budget;
    let block = 0;
    let blockEntry = 0;
    let dispatches = 0;
    this.codeWritten = 0;
    // The linear page whose decode table (fetchTable) the loop reads without decodeAt.
    let fetchPage = -1;
    let fetchTable = this.fetchTable;
    // TF can only be set by popf, which blocks never contain: only the interpreter sees it.
    // Blocks run neither while single-stepping nor at a store a block stopped before (a
    // block compiled there would stop again): the interpreter runs it. Whether a #DB follows
    // the interpreted instruction is a field, to keep the loop's locals few.
    this.stepTrapArmed = (flags.word & FLAG_TF) !== 0;
    let interpretOnly = this.stepTrapArmed || this.codeWriteStopped;
    this.codeWriteStopped = false;
    // Whether eip starts a path: the run's first instruction, one a block left for, or one
    // after a branch or an instruction no block holds. Blocks are compiled only there: an
    // instruction in the middle of a path that got hot first was compiled, ran once, and
    // was then covered by the block compiled at the path's start (CoreMark: two thirds of
    // the blocks).
    let atPathStart = true;
    const compileAtHeat = compileThreshold === 0 ? Number.POSITIVE_INFINITY : compileThreshold;
    try {
      while (cycles < limit) {
        let slot = eip >>> 12 === fetchPage ? fetchTable[eip & 0xfff]! : SLOT_NONE;
        if (slot === SLOT_NONE) {
          slot = this.decodeAt(eip);
          fetchPage = eip >>> 12;
          fetchTable = this.fetchTable;
          blockFunctions = blocks.functions;
        }
        const id = interpretOnly ? 0 : blockOf[slot]!;
        if (id !== 0) {
          const entry = ringCount & recentEntryMask;
          ringEips[entry] = eip;
          ringIds[entry] = id;
          ringCount++;
          block = id;
          blockEntry = eip;
          const next =
            (blockFunctions[id]!(this, r, flags, eip, limit - cycles) + this.exitOffset) | 0;
          block = 0;
          const reached = this.exitInstructions;
          if (reached !== 0) {
            dispatches++;
            eip = next;
            cycles += this.exitCycles;
            retired += reached;
            // A looping block's earlier passes (it sets these only when it loops).
            const passes = this.extraIterations;
            if (passes !== 0) {
              cycles += this.extraCycles;
              retired += this.extraInstructions;
              this.extraIterations = 0;
            }
            ringStarted[entry] = passes * recentPassUnit + this.exitNode;
            atPathStart = true;
            continue;
          }
          // It did not fit in the budget and ran nothing.
          ringCount--;
        } else {
          const heat = heatOf[slot]! + 1;
          heatOf[slot] = heat;
          // Not while interpreting only: the block would not run, and compiling it again on
          // every pass would never advance.
          if (
            atPathStart &&
            !interpretOnly &&
            heat >= compileAtHeat &&
            slot !== SLOT_SCRATCH &&
            this.compileBlockAt(slot, eip)
          ) {
            blockFunctions = blocks.functions;
            continue;
          }
        }
        ringEips[ringCount & recentEntryMask] = eip;
        ringIds[ringCount & recentEntryMask] = 0;
        ringCount++;
        this.cycles = cycles;
        const next = executeFast(this, slot, eip, limit - cycles);
        cycles += this.stepCycles;
        const kind = store.kind[slot]!;
        const handler = store.handler[slot]!;
        atPathStart = endsBlock(kind, handler) || !compilable(kind, handler);
        if (this.stepOutcome === StepOutcome.Incomplete) continue;
        eip = next;
        retired++;
        if (this.stepOutcome === StepOutcome.Trap) {
          reason = StopReason.Trap;
          break;
        }
        if (interpretOnly && this.stepTrapArmed) {
          // TF was set when the instruction started: the #DB trap follows it.
          this.exceptionVector = VECTOR_DEBUG;
          this.exceptionErrorCode = 0;
          reason = StopReason.Exception;
          break;
        }
        interpretOnly = (flags.word & FLAG_TF) !== 0;
        this.stepTrapArmed = interpretOnly;
      }
    } catch (error) {
      const stopped = error === codeWriteStop;
      if (error !== guestFault && !stopped) throw error;
      if (block !== 0) {
        // The fault (or the store a stop left for later) is in instruction `blockStep` of the
        // last pass; earlier ones retired, and a looping block's finally left its earlier
        // passes as on any other exit.
        const info = blocks.infos[block]!;
        const done = this.blockStep;
        const passes = this.extraIterations;
        eip = (blockEntry + info.offsets[done]!) | 0;
        cycles += info.prefixCycles[done]!;
        retired += info.depths[done]!;
        if (passes !== 0) {
          cycles += this.extraCycles;
          retired += this.extraInstructions;
          this.extraIterations = 0;
        }
        dispatches++;
        // A faulting instruction started; a stopped store starts again when the loop runs on.
        const started = passes * recentPassUnit + (stopped ? info.parents[done]! : done) + 1;
        if (started === 0) ringCount--;
        else ringStarted[(ringCount - 1) & recentEntryMask] = started;
      }
      this.codeWriteStopped = stopped;
      reason = StopReason.Exception;
    }
    this.eip = eip >>> 0;
    this.cycles = cycles;
    this.instructions = retired;
    this.blockDispatches += dispatches;
    recent.count = ringCount;
    return reason;
  }

  /** Blocks compiled since the table was last cleared. */
  get compiledBlocks(): number {
    return this.blocks.functions.length - 1;
  }

  /** The eips of the last `count` instructions started (oldest first). */
  recentEips(count: number): number[] {
    return this.recent.list(count);
  }

  /** Drops every decoded instruction (e.g. after restoring memory wholesale). */
  flushDecodeCache(): void {
    this.cache.flush();
    this.clearBlocks();
  }

  getState(): CpuState {
    return {
      regs: Array.from(this.regs, (value) => value >>> 0),
      eip: this.eip >>> 0,
      eflags: this.getEflags(),
      cycles: this.cycles,
      instructions: this.instructions,
    };
  }

  setState(state: CpuState): void {
    if (state.regs.length !== 8) {
      throw new RangeError(`CpuState.regs has ${state.regs.length} entries, expected 8`);
    }
    for (let i = 0; i < 8; i++) this.r[i] = state.regs[i]! | 0;
    this.eip = state.eip >>> 0;
    this.setEflags(state.eflags);
    this.cycles = state.cycles;
    this.instructions = state.instructions;
  }

  /** Drops every compiled block (they are recompiled on demand). */
  private clearBlocks(): void {
    this.blocks.clear();
    this.cache.store.block.fill(0);
    this.recent.startGeneration(this.blocks.infos);
  }

  /** Runs a generic handler from a compiled block (cpu.eip must be the next eip). */
  executeGeneric(slot: number): void {
    executeGeneric(this, slot);
  }

  // ---- Faults.

  /** Records an exception and leaves the instruction (never returns). */
  raise(vector: number, errorCode: number): never {
    this.exceptionVector = vector;
    this.exceptionErrorCode = errorCode;
    throw guestFault;
  }

  private raisePageFault(): never {
    return this.raise(VECTOR_PAGE_FAULT, this.mmu.faultErrorCode);
  }

  // ---- Decoding.

  /** The decoded slot for linear `eip`, decoding (and caching, within a page) as needed. */
  private decodeAt(eip: number): number {
    // Through the TLB when it holds the page: any user page it lets a read reach is
    // executable (the i386 has no NX), and CoreMark, whose hot code spans three pages, came
    // here 475 K times in 1000 iterations, each a page walk.
    const page = eip >>> 12;
    const index = page & tlbIndexMask;
    const physical =
      this.tlbReadTag[index] === page
        ? this.tlbFrame[index]! + (eip & 0xfff)
        : this.translate(eip, Access.Fetch);
    const frame = physical >>> 12;
    const offset = physical & 0xfff;
    const cache = this.cache;
    if (cache.peekSlot() < 0) {
      cache.flush();
      this.clearBlocks();
    }
    this.fetchFrame = frame;
    this.fetchTable = cache.tableFor(frame);
    const slot = this.fetchTable[offset]!;
    if (slot !== SLOT_NONE) return slot;
    const length = this.decodeInPage(frame, offset, cache.peekSlot());
    if (length > 0) return cache.commit(frame, offset);
    if (length === DECODE_NEED_BYTES) {
      // The instruction continues on the next page: decode it from both, uncached.
      const fetchBytes = this.fetchBytes;
      const inPage = 4096 - offset;
      const nextPhysical = this.translate(((eip >>> 12) + 1) << 12, Access.Fetch);
      for (let i = inPage; i < instructionBytesMax; i++) {
        fetchBytes[i] = this.bytes[nextPhysical + i - inPage]!;
      }
      const crossing = this.decoder.decode(
        fetchBytes,
        instructionBytesMax,
        cache.store,
        SLOT_SCRATCH,
      );
      if (crossing > 0) {
        cache.store.block[SLOT_SCRATCH] = 0;
        return SLOT_SCRATCH;
      }
      return this.raiseDecodeError(crossing);
    }
    return this.raiseDecodeError(length);
  }

  /**
   * Decodes the instruction at `offset` of physical page `frame` into `slot` from the
   * bytes of that page only (left in fetchBytes). Returns the decoder's result.
   */
  private decodeInPage(frame: number, offset: number, slot: number): number {
    const fetchBytes = this.fetchBytes;
    const physical = (frame << 12) + offset;
    const inPage = Math.min(instructionBytesMax, 4096 - offset);
    for (let i = 0; i < inPage; i++) fetchBytes[i] = this.bytes[physical + i]!;
    const store = this.cache.store;
    const length = this.decoder.decode(fetchBytes, inPage, store, slot);
    store.block[slot] = 0;
    store.heat[slot] = 0;
    store.taken[slot] = 0;
    return length;
  }

  private raiseDecodeError(code: number): never {
    return this.raise(
      code === DECODE_UNDEFINED ? VECTOR_INVALID_OPCODE : VECTOR_GENERAL_PROTECTION,
      0,
    );
  }

  /**
   * Compiles the block starting with the instruction in `slot` (on the fetch page), when
   * its first instruction is compilable. Decodes ahead within the page, never faulting.
   * Returns whether a block now starts at `slot`.
   */
  private compileBlockAt(slot: number, eip: number): boolean {
    const store = this.cache.store;
    if (!compilable(store.kind[slot]!, store.handler[slot]!)) return false;
    if (this.blocks.full()) this.clearBlocks();
    const slots = this.blockSlots;
    const starts = this.blockStarts;
    const ends = this.blockEnds;
    const frame = this.fetchFrame;
    const table = this.fetchTable;
    const startOffset = eip & 0xfff;
    let offset = startOffset;
    let count = 0;
    let current = slot;
    // The block's one loop, if any (BlockLoop).
    let loopHead = -1;
    let loopEnd = -1;
    for (;;) {
      slots[count] = current;
      starts[count] = offset - startOffset;
      const end = offset + store.lengthBytes[current]!;
      ends[count] = end - startOffset;
      count++;
      if (count === blockInstructionsMax) break;
      let nextOffset = end;
      const kind = store.kind[current]!;
      if (endsBlock(kind, store.handler[current]!)) {
        // A direct jump or conditional branch to an instruction the block holds makes the
        // block's loop (one at most), going back there; when a conditional one is not taken
        // the block goes on after it, unless the loop runs long (loopRunsLong). Otherwise the
        // block follows a conditional branch the way the interpreter saw it go most often
        // (backward when it has not run: loops take those), leaving (a side exit) when it
        // goes the other way, and a direct jmp or call goes on at its target on this page.
        const target = end + store.imm[current]!;
        const onPage = target >= 0 && target < 4096;
        const held = onPage ? starts.subarray(0, count).indexOf(target - startOffset) : -1;
        if (held >= 0) {
          if (loopHead >= 0 || (kind !== FastKind.Jcc && kind !== FastKind.JmpRel)) break;
          loopHead = held;
          loopEnd = count - 1;
          if (kind !== FastKind.Jcc || loopRunsLong(store, current)) break;
        } else {
          nextOffset = followedOffset(store, current, offset, end);
          if (nextOffset < 0) break;
        }
      }
      if (nextOffset >= 4096) break;
      // Running on into an instruction the block holds ends it, making its loop if it has none.
      const into = starts.subarray(0, count).indexOf(nextOffset - startOffset);
      if (into >= 0) {
        if (loopHead < 0) {
          loopHead = into;
          loopEnd = count - 1;
        }
        break;
      }
      offset = nextOffset;
      current = this.decodedForBlock(table, frame, offset);
      if (current === SLOT_NONE) break;
      if (!this.mayGoOnInto(current)) break;
    }
    const prefixCycles = pathCycles(store, slots, starts, ends, count, 0);
    const sides = this.sidePaths(prefixCycles, count, loopHead, loopEnd, startOffset);
    const { startCycles, depths, parents, latestStart } = instructionTables(
      prefixCycles,
      count,
      sides,
    );
    const total = startCycles.length;
    const loop = blockLoop(store, slots, starts, ends, prefixCycles, loopHead, loopEnd);
    const fn = compileBlockFunction(
      blockSource(store, slots, starts, ends, prefixCycles, count, loop, sides, latestStart),
    );
    const info = {
      offsets: starts.slice(0, total),
      prefixCycles: startCycles,
      depths,
      parents,
      loopHead,
      loopEnd,
    };
    store.block[slot] = this.blocks.add(fn, info);
    return true;
  }

  /**
   * The side paths of the block being compiled (its main path's `count` instructions, their
   * cycles `prefixCycles`), by main path index: where a conditional branch went the way the
   * main path does not follow in at least 1 of sidePathShare of the runs the interpreter saw,
   * or at all if the branch is in the body of the block's loop (from `loopHead`, not at
   * `loopEnd`, where the loop goes back). Their instructions follow the main path's in
   * blockSlots, blockStarts and blockEnds.
   *
   * Inside a loop, a rare branch gets one too because the interpreter's first runs can
   * mislead: in a bubble sort's inner loop the swap is taken in nearly all of them, while the
   * array is random, and skipped in most of the later ones. Without a side path each skip
   * left the block and came back through a second one, two dispatches a pass (8 guest
   * instructions a dispatch, docs/cpu.md).
   */
  private sidePaths(
    prefixCycles: Int32Array,
    count: number,
    loopHead: number,
    loopEnd: number,
    startOffset: number,
  ): (SidePath | undefined)[] {
    const store = this.cache.store;
    const slots = this.blockSlots;
    const starts = this.blockStarts;
    const ends = this.blockEnds;
    const taken = cpuCostCycles.branchTakenExtra;
    const sides: (SidePath | undefined)[] = [];
    let total = count;
    for (let k = 0; k < count - 1 && total < blockNodesMax; k++) {
      const branch = slots[k]!;
      if (store.kind[branch] !== FastKind.Jcc || k === loopEnd) continue;
      const runs = store.heat[branch]!;
      const followed = followsTakenBranch(store, slots, starts, ends, k, count);
      const otherWay = followed ? runs - store.taken[branch]! : store.taken[branch]!;
      const inLoopBody = loopHead >= 0 && k >= loopHead && k < loopEnd;
      if (runs === 0 || otherWay <= 0 || (!inLoopBody && otherWay * sidePathShare < runs)) continue;
      const target = startOffset + ends[k]! + (followed ? 0 : store.imm[branch]!);
      const length = this.sidePathAt(target, startOffset, count, k, total);
      if (length === 0) continue;
      const sideSlots = slots.subarray(total, total + length);
      const sideStarts = starts.subarray(total, total + length);
      const sideEnds = ends.subarray(total, total + length);
      // The branch going the other way: taken costs the extra cycles, not taken saves them.
      const from = prefixCycles[k + 1]! + (followed ? -taken : taken);
      sides[k] = {
        slots: sideSlots,
        starts: sideStarts,
        ends: sideEnds,
        prefixCycles: pathCycles(store, sideSlots, sideStarts, sideEnds, length, from),
        count: length,
        firstNode: total,
        depth: k + 1,
      };
      total += length;
      this.compiledSidePaths++;
    }
    return sides;
  }

  /**
   * Appends to the block being compiled the side path from page offset `offset`, where main
   * path instruction `branch` goes the other way, as its instructions from `first` on;
   * returns how many. It follows jumps, calls and conditional branches on the page as the
   * main path does, and ends before an instruction the main path runs up to `branch` (a loop
   * would go back there) or the side path holds, a compiled loop, or one no block can hold,
   * at the page end, at a branch it cannot follow, and at sidePathInstructionsMax
   * instructions (or the block's blockNodesMax). Main path instructions after `branch` it
   * holds again (where an if/else joins, say): its exits charge its own instructions.
   */
  private sidePathAt(
    offset: number,
    startOffset: number,
    mainCount: number,
    branch: number,
    first: number,
  ): number {
    const store = this.cache.store;
    const slots = this.blockSlots;
    const starts = this.blockStarts;
    const ends = this.blockEnds;
    const frame = this.fetchFrame;
    const table = this.fetchTable;
    let n = first;
    while (offset >= 0 && offset < 4096) {
      const start = offset - startOffset;
      const onMain = starts.subarray(0, mainCount).indexOf(start);
      if (onMain >= 0 && onMain <= branch) break;
      if (starts.subarray(first, n).indexOf(start) >= 0) break;
      const current = this.decodedForBlock(table, frame, offset);
      if (current === SLOT_NONE) break;
      if (!this.mayGoOnInto(current)) break;
      const kind = store.kind[current]!;
      const end = offset + store.lengthBytes[current]!;
      slots[n] = current;
      starts[n] = start;
      ends[n] = end - startOffset;
      n++;
      if (n - first === sidePathInstructionsMax || n === blockNodesMax) break;
      const from = offset;
      offset = end;
      if (endsBlock(kind, store.handler[current]!))
        offset = followedOffset(store, current, from, end);
    }
    return n - first;
  }

  /**
   * Whether a block's path may go on into the instruction in `slot`: one a block can hold
   * that does not start a compiled loop (one whose head is its entry). Entering that loop
   * costs a dispatch, while copying it into every block that reaches it cost compile time.
   */
  private mayGoOnInto(slot: number): boolean {
    const store = this.cache.store;
    if (!compilable(store.kind[slot]!, store.handler[slot]!)) return false;
    const compiled = store.block[slot]!;
    return compiled === 0 || this.blocks.infos[compiled]!.loopHead !== 0;
  }

  /** The slot of the instruction at `offset` in the fetch page, decoded if need be; SLOT_NONE if it cannot be. */
  private decodedForBlock(table: Int32Array, frame: number, offset: number): number {
    const slot = table[offset]!;
    if (slot !== SLOT_NONE) return slot;
    const free = this.cache.peekSlot();
    if (free < 0 || this.decodeInPage(frame, offset, free) <= 0) return SLOT_NONE;
    return this.cache.commit(frame, offset);
  }

  // ---- Operands.

  effectiveAddress(slot: number): number {
    const store = this.cache.store;
    const r = this.r;
    return (
      (r[store.base[slot]!]! + (r[store.index[slot]!]! << store.scale[slot]!) + store.disp[slot]!) |
      0
    );
  }

  /** Reads operand `location` of `size` bits, sign-extended to 32 bits. */
  readOperand(slot: number, location: number, size: number): number {
    if (location === LOCATION_MEMORY) {
      const address = this.effectiveAddress(slot);
      if (size === 32) return this.read32(address);
      return size === 16 ? (this.read16(address) << 16) >> 16 : (this.read8(address) << 24) >> 24;
    }
    if (location === LOCATION_IMMEDIATE) {
      const imm = this.cache.store.imm[slot]!;
      if (size === 32) return imm;
      return size === 16 ? (imm << 16) >> 16 : (imm << 24) >> 24;
    }
    return this.readRegister(location, size);
  }

  /** Writes the low `size` bits of value to operand `location`. */
  writeOperand(slot: number, location: number, size: number, value: number): void {
    if (location === LOCATION_MEMORY) {
      const address = this.effectiveAddress(slot);
      if (size === 32) this.write32(address, value);
      else if (size === 16) this.write16(address, value);
      else this.write8(address, value);
    } else {
      this.writeRegister(location, size, value);
    }
  }

  /** Register `index` (x86 numbering for the size) sign-extended to 32 bits. */
  readRegister(index: number, size: number): number {
    const r = this.r;
    if (size === 32) return r[index]!;
    if (size === 16) return (r[index]! << 16) >> 16;
    return index < 4 ? (r[index]! << 24) >> 24 : (r[index - 4]! << 16) >> 24;
  }

  writeRegister(index: number, size: number, value: number): void {
    const r = this.r;
    if (size === 32) r[index] = value;
    else if (size === 16) r[index] = (r[index]! & ~0xffff) | (value & 0xffff);
    else if (index < 4) r[index] = (r[index]! & ~0xff) | (value & 0xff);
    else r[index - 4] = (r[index - 4]! & ~0xff00) | ((value & 0xff) << 8);
  }

  // ---- Guest memory through the TLB. Reads of 8/16 bits are zero-extended; 32 bits signed.

  read8(linear: number): number {
    const page = linear >>> 12;
    const index = page & tlbIndexMask;
    if (this.tlbReadTag[index] === page)
      return this.bytes[this.tlbFrame[index]! + (linear & 0xfff)]!;
    return this.bytes[this.translate(linear, Access.Read)]!;
  }

  read16(linear: number): number {
    const page = linear >>> 12;
    const index = page & tlbIndexMask;
    const offset = linear & 0xfff;
    if (this.tlbReadTag[index] === page && offset < 0xfff) {
      return this.view.getUint16(this.tlbFrame[index]! + offset, true);
    }
    if (offset < 0xfff) return this.view.getUint16(this.translate(linear, Access.Read), true);
    return this.readCrossing(linear, 2);
  }

  read32(linear: number): number {
    const page = linear >>> 12;
    const index = page & tlbIndexMask;
    const offset = linear & 0xfff;
    if (this.tlbReadTag[index] === page && offset < 0xffd) {
      return this.view.getInt32(this.tlbFrame[index]! + offset, true);
    }
    if (offset < 0xffd) return this.view.getInt32(this.translate(linear, Access.Read), true);
    return this.readCrossing(linear, 4);
  }

  write8(linear: number, value: number): void {
    const page = linear >>> 12;
    const index = page & tlbIndexMask;
    if (this.tlbWriteTag[index] === page) {
      this.bytes[this.tlbFrame[index]! + (linear & 0xfff)] = value;
      return;
    }
    this.memory.write8(this.translate(linear, Access.Write), value);
  }

  write16(linear: number, value: number): void {
    const page = linear >>> 12;
    const index = page & tlbIndexMask;
    const offset = linear & 0xfff;
    if (this.tlbWriteTag[index] === page && offset < 0xfff) {
      this.view.setUint16(this.tlbFrame[index]! + offset, value & 0xffff, true);
      return;
    }
    if (offset < 0xfff) this.memory.write16(this.translate(linear, Access.Write), value);
    else this.writeCrossing(linear, 2, value);
  }

  write32(linear: number, value: number): void {
    const page = linear >>> 12;
    const index = page & tlbIndexMask;
    const offset = linear & 0xfff;
    if (this.tlbWriteTag[index] === page && offset < 0xffd) {
      this.view.setInt32(this.tlbFrame[index]! + offset, value, true);
      return;
    }
    if (offset < 0xffd) this.memory.write32(this.translate(linear, Access.Write), value);
    else this.writeCrossing(linear, 4, value);
  }

  /** Physical address of a user access; raises #PF when the MMU refuses it. */
  private translate(linear: number, access: Access): number {
    const physical = this.mmu.translate(linear, access);
    if (physical < 0) this.raisePageFault();
    return physical;
  }

  /** A read that straddles two pages: both are translated before anything is read. */
  private readCrossing(linear: number, sizeBytes: number): number {
    const first = this.translate(linear, Access.Read);
    const second = this.translate(((linear >>> 12) + 1) << 12, Access.Read);
    const inFirst = 4096 - (linear & 0xfff);
    let value = 0;
    for (let i = sizeBytes - 1; i >= 0; i--) {
      value = (value << 8) | this.bytes[i < inFirst ? first + i : second + i - inFirst]!;
    }
    return sizeBytes === 4 ? value | 0 : value & 0xffff;
  }

  /**
   * A compiled block's store that missed its inline path (block-memory-code.ts): as
   * write8/16/32, but a store that would touch a page with decoded code first drops that
   * code, as the write would, and throws codeWriteStop, writing nothing: the block leaves
   * before the instruction, which the run loop runs again.
   */
  blockWrite8(linear: number, value: number): void {
    this.stopBeforeCodeWrite(linear, 1);
    this.write8(linear, value);
  }
  blockWrite16(linear: number, value: number): void {
    this.stopBeforeCodeWrite(linear, 2);
    this.write16(linear, value);
  }
  blockWrite32(linear: number, value: number): void {
    this.stopBeforeCodeWrite(linear, 4);
    this.write32(linear, value);
  }
  private stopBeforeCodeWrite(linear: number, sizeBytes: number): void {
    // Translated in the order a write translates them, so a fault comes first as there.
    const first = this.translate(linear, Access.Write);
    const inFirst = 4096 - (linear & 0xfff);
    const second =
      inFirst < sizeBytes ? this.translate(((linear >>> 12) + 1) << 12, Access.Write) : first;
    const watched = this.memory.watchedPages;
    if (watched[first >>> 12] === 0 && watched[second >>> 12] === 0) return;
    this.memory.noteWrite(first, Math.min(sizeBytes, inFirst));
    if (second !== first) this.memory.noteWrite(second, sizeBytes - inFirst);
    throw codeWriteStop;
  }

  /** A write that straddles two pages: both must be writable before either is written. */
  private writeCrossing(linear: number, sizeBytes: number, value: number): void {
    const first = this.translate(linear, Access.Write);
    const second = this.translate(((linear >>> 12) + 1) << 12, Access.Write);
    const inFirst = 4096 - (linear & 0xfff);
    for (let i = 0; i < sizeBytes; i++) {
      this.memory.write8(
        i < inFirst ? first + i : second + i - inFirst,
        (value >>> (8 * i)) & 0xff,
      );
    }
  }
}
