// Guest memory access as inline code for compiled blocks: the TLB check of Cpu.read32 and
// friends written out in the block, on the TLB's and memory's arrays held in locals (see
// memoryLocals). A miss, or a 16- or 32-bit access that is not aligned (so also one that
// straddles two pages), calls the CPU's accessor, which translates and may fault; it sets
// cpu.blockStep first so the fault is charged to the right instruction. A write entry never
// maps a page with decoded code (tlb.ts), so only the slow path can hit cached code: there
// Cpu.blockWrite* leaves the block before the store (codeWriteStop), and the block checks
// nothing after it.
//
// Aligned accesses go through Int32Array and Uint16Array views of memory, not its DataView:
// TurboFan forgets what it knows about every object (maps, typed-array lengths and data
// pointers) at a DataView store, and after one re-checks each array the block touches next;
// at a typed-array store it does not. Host instructions, whole runs: C bench 20 -2.4 %,
// CoreMark 1000 -3.6 % (docs/cpu.md).
//
// In front of the TLB each block keeps page caches in locals: the last page it read and the
// last it wrote, with the distance from the linear to the physical address, one pair for the
// stack the instruction itself addresses (push, pop, call, ret, leave, pusha, popa) and one
// for explicit memory operands. A hit costs a compare of locals and the access; V8 checks a
// typed array at every access, so each TLB array read left out saves about ten host
// instructions. The caches start empty at every block run and are filled only from a TLB
// hit: nothing a block runs changes a translation (page tables, CR3 and the TLB's write
// entries change only between runs: decoding, which drops writes to code pages, happens in
// the run loop), so a page a block read or wrote stays readable or writable until it returns.
// CoreMark 300 iterations, host instructions (docs/cpu.md): -10 % with these two pairs; one
// pair for every access, or esp-based operands counted as stack, gained about 6 %.

import { tlbIndexMask } from "../mmu/tlb.ts";

/** Which of a block's page caches an access uses (see above). */
export type PageCache = "operand" | "stack";

const cachePrefix: Record<PageCache, string> = { operand: "o", stack: "s" };

/** Each PageCache's read-page and write-page locals; their distances end in "d" instead of "p". */
const cacheLocals = Object.values(cachePrefix).flatMap((prefix) => [`${prefix}rp`, `${prefix}wp`]);

/** Locals the inline accesses read, loaded once per block run from the CPU. */
export function memoryLocals(body: string): string {
  const locals = [
    ["rt", "c.tlbReadTag"],
    ["wt", "c.tlbWriteTag"],
    ["tf", "c.tlbFrame"],
    ["mb", "c.bytes"],
    ["mw", "c.words"],
    ["mh", "c.halves"],
  ].filter(([name]) => new RegExp(`\\b${name}\\[|\\b${name}\\.`).test(body));
  const caches = cacheLocals.filter((page) => new RegExp(`\\b${page}\\b`).test(body));
  const arrays =
    locals.length === 0
      ? ""
      : `const ${locals.map(([name, field]) => `${name} = ${field}`).join(", ")};`;
  // A page local of -1 matches no page number (addresses are shifted unsigned).
  const pages =
    caches.length === 0
      ? ""
      : `let ${caches.map((page) => `${page} = -1, ${page.slice(0, 2)}d = 0`).join(", ")};`;
  return arrays + pages;
}

/** Whether the access of `bits` at the address in local `address` is aligned (so in one page). */
function aligned(bits: number, address: string): string {
  return `(${address} & ${bits / 8 - 1}) === 0`;
}

/** The element of memory's word or halfword view at physical address `at` (aligned). */
function element(bits: number, at: string): string {
  return bits === 16 ? `mh[${at} >> 1]` : `mw[${at} >> 2]`;
}

/**
 * An expression reading `bits` at the address in local `address` (an identifier): 8 and 16
 * bits zero-extended, 32 bits signed, as Cpu.read8/16/32. One access site for cache and TLB
 * hits, the cache filled on the way: 5-7 % less generated source than a site for each, which
 * `new Function` parses at every compile.
 */
export function loadCode(bits: number, address: string, step: number, cache: PageCache): string {
  const page = `${address} >>> 12`;
  const cachedPage = `${cachePrefix[cache]}rp`;
  const distance = `${cachePrefix[cache]}rd`;
  const readable = `(${page} === ${cachedPage} || rt[${page} & ${tlbIndexMask}] === ${page} && (${cachedPage} = ${page}, ${distance} = tf[${page} & ${tlbIndexMask}] - (${address} & -4096) | 0, true))`;
  const slow = `(c.blockStep = ${step}, c.read${bits}(${address}))`;
  if (bits === 8) return `(${readable} ? mb[${address} + ${distance} | 0] : ${slow})`;
  return `(${aligned(bits, address)} && ${readable} ? ${element(bits, `${address} + ${distance}`)} : ${slow})`;
}

/**
 * A statement writing the low `bits` of `value` (an expression without side effects) at the
 * address in local `address`.
 */
export function storeCode(
  bits: number,
  address: string,
  value: string,
  step: number,
  cache: PageCache,
): string {
  const cachedPage = `${cachePrefix[cache]}wp`;
  const distance = `${cachePrefix[cache]}wd`;
  const locate = `const mp = ${address} >>> 12;`;
  const writable = `(mp === ${cachedPage} || wt[mp & ${tlbIndexMask}] === mp && (${cachedPage} = mp, ${distance} = tf[mp & ${tlbIndexMask}] - (${address} & -4096) | 0, true))`;
  const slow = `{ c.blockStep = ${step}; c.blockWrite${bits}(${address}, ${value}); }`;
  if (bits === 8)
    return `{ ${locate} if ${writable} mb[${address} + ${distance} | 0] = ${value}; else ${slow} }`;
  return `{ ${locate} if (${aligned(bits, address)} && ${writable}) ${element(bits, `${address} + ${distance}`)} = ${value}; else ${slow} }`;
}
