// Guest memory access as inline code for compiled blocks: the TLB check of Cpu.read32 and
// friends written out in the block, on the TLB's and memory's arrays held in locals (see
// memoryLocals), so a hit costs a compare and a load or store. A miss (or an access that
// straddles two pages) calls the CPU's accessor, which translates and may fault; it sets
// cpu.blockStep first so the fault is charged to the right instruction. A write entry never
// maps a page with decoded code (tlb.ts), so only the slow path can hit cached code.

import { tlbIndexMask } from "../mmu/tlb.ts";

/** Locals the inline accesses read, loaded once per block run from the CPU. */
export function memoryLocals(body: string): string {
  const locals = [
    ["rt", "c.tlbReadTag"],
    ["wt", "c.tlbWriteTag"],
    ["tf", "c.tlbFrame"],
    ["mb", "c.bytes"],
    ["mv", "c.view"],
  ].filter(([name]) => new RegExp(`\\b${name}\\[|\\b${name}\\.`).test(body));
  if (locals.length === 0) return "";
  return `const ${locals.map(([name, field]) => `${name} = ${field}`).join(", ")};`;
}

/** The last offset in a page where an access of `bits` fits. */
function lastOffset(bits: number): number {
  return 4096 - bits / 8;
}

/**
 * An expression reading `bits` at the address in local `address` (an identifier): 8 and 16
 * bits zero-extended, 32 bits signed, as Cpu.read8/16/32.
 */
export function loadCode(bits: number, address: string, step: number): string {
  const page = `(${address} >>> 12)`;
  const entry = `(${page} & ${tlbIndexMask})`;
  const offset = `(${address} & 4095)`;
  const slow = `(c.blockStep = ${step}, c.read${bits}(${address}))`;
  if (bits === 8) return `(rt[${entry}] === ${page} ? mb[tf[${entry}] + ${offset}] : ${slow})`;
  const read = bits === 16 ? "getUint16" : "getInt32";
  return `(rt[${entry}] === ${page} && ${offset} <= ${lastOffset(bits)} ? mv.${read}(tf[${entry}] + ${offset}, true) : ${slow})`;
}

/**
 * A statement writing the low `bits` of `value` (an expression without side effects) at the
 * address in local `address`. `afterSlowWrite` runs after a write through the CPU's
 * accessor (it checks cpu.codeWritten); without it the caller checks after the statement.
 */
export function storeCode(
  bits: number,
  address: string,
  value: string,
  step: number,
  afterSlowWrite = "",
): string {
  const slow = `{ c.blockStep = ${step}; c.write${bits}(${address}, ${value}); ${afterSlowWrite} }`;
  const hit = `wt[me] === mp && mo <= ${lastOffset(bits)}`;
  const locate = `const mp = ${address} >>> 12, me = mp & ${tlbIndexMask}, mo = ${address} & 4095;`;
  if (bits === 8) {
    return `{ ${locate} if (wt[me] === mp) mb[tf[me] + mo] = ${value}; else ${slow} }`;
  }
  const write = bits === 16 ? "setUint16" : "setInt32";
  return `{ ${locate} if (${hit}) mv.${write}(tf[me] + mo, ${value}, true); else ${slow} }`;
}
