// Compiled basic blocks: JavaScript functions made by block-compiler.ts, found through the
// decoded slot of their first instruction. A block runs only when it fits the cycle budget
// (it checks on entry, and leaves having retired nothing when it does not), so stop points
// are exactly those of one-at-a-time interpretation. When
// the table is full every block is dropped and recompiled on demand.

import type { Cpu } from "./cpu.ts";
import type { LazyFlags } from "./lazy-flags.ts";

/**
 * A compiled block: runs its instructions from entry eip `base`, returns the next eip. A
 * block that branches back to its own entry loops inside while `budgetCycles` allows. When
 * not every instruction of it would start within `budgetCycles` it runs none, and sets
 * cpu.exitInstructions to 0.
 */
export type BlockFunction = (
  cpu: Cpu,
  r: Int32Array,
  flags: LazyFlags,
  base: number,
  budgetCycles: number,
) => number;

/**
 * What the run loop needs to account for a block that stopped part-way. A block's
 * instructions are numbered along its main path from 0, then along its side paths (where a
 * conditional branch goes the way the main path does not follow): each array has one entry
 * per instruction.
 */
export interface BlockInfo {
  /** Byte offset of each instruction from the block's entry eip. */
  readonly offsets: Int32Array;
  /** Cycles from the entry to each instruction's start, along its path. */
  readonly prefixCycles: Int32Array;
  /** Instructions retired before each one, along its path. */
  readonly depths: Int32Array;
  /** The instruction run before each one (-1 for the entry). */
  readonly parents: Int32Array;
  /**
   * Index of the instruction a looping block goes back to, or -1: passes after the first run
   * from it to loopEnd (the block leaves their count, cycles and instructions in
   * cpu.extraIterations, extraCycles and extraInstructions).
   */
  readonly loopHead: number;
  /** Index of the last instruction of that loop (-1 when it does not loop). */
  readonly loopEnd: number;
}

/** At most 2^16 - 1: recent-eips.ts packs a block id into 16 bits. */
export const blocksMax = 1 << 14;
/**
 * Executions of an instruction through the interpreter before a block is compiled at it
 * (Cpu.run compiles only at the start of a path). High, because a block costs about a
 * millisecond to generate, parse and optimise (tens of thousands of interpreted
 * instructions), and the interpreter's branch counts then shape it better (docs/cpu.md);
 * under the 255 the byte counters hold.
 */
export const compileThreshold = 200;
/** Longest block, in instructions. */
export const blockInstructionsMax = 64;
/** Most instructions of a block, its side paths included. */
export const blockNodesMax = 128;
/** Longest side path, in instructions. */
export const sidePathInstructionsMax = 32;
/**
 * A block gets a side path where a branch of its main path went the other way at least once
 * in this many of the runs the interpreter saw (in its loop's body, at least once at all).
 */
export const sidePathShare = 16;

export class BlockCache {
  /** Replaced (not emptied) by clear(), so earlier readers keep a consistent table. */
  functions: BlockFunction[] = [unreachableBlock];
  infos: BlockInfo[] = [emptyInfo];

  /** True when no more blocks fit (the caller drops them all). */
  full(): boolean {
    return this.functions.length >= blocksMax;
  }

  add(fn: BlockFunction, info: BlockInfo): number {
    const id = this.functions.length;
    this.functions.push(fn);
    this.infos.push(info);
    return id;
  }

  clear(): void {
    this.functions = [unreachableBlock];
    this.infos = [emptyInfo];
  }
}

function unreachableBlock(): number {
  throw new Error("block 0 is the 'no block' marker and never runs");
}

const emptyInfo: BlockInfo = {
  offsets: new Int32Array(0),
  prefixCycles: new Int32Array(1),
  depths: new Int32Array(1),
  parents: new Int32Array(1),
  loopHead: -1,
  loopEnd: -1,
};
