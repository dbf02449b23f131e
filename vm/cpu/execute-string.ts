// String instructions (movs cmps stos lods scas, b/w/d) with and without rep/repe/repne.
// esi/edi step by the element size, backwards when DF = 1; addresses are 32-bit. A rep
// instruction runs as many iterations as the cycle budget allows; registers reflect every
// completed iteration, so when it is cut short (budget) or faults, it resumes exactly
// where it stopped, as on x86. cpu.eip moves past it only once it is complete.

import { cpuCostCycles } from "./cost-table.ts";
import type { Cpu } from "./cpu.ts";
import { PREFIX_REP, PREFIX_REPNE } from "./decoded-instructions.ts";
import { FLAG_DF } from "./eflags.ts";
import { signExtend } from "./execute.ts";
import { HandlerId } from "./handler-id.ts";
import { LazyOp } from "./lazy-flags.ts";

const ECX = 1;
const ESI = 6;
const EDI = 7;

/** Executes the string instruction in `slot` (cpu.eip = its address); returns cycles used. */
export function executeString(cpu: Cpu, slot: number, budgetCycles: number): number {
  const store = cpu.cache.store;
  const size = store.size[slot]!;
  const handler = store.handler[slot]!;
  const prefixes = store.prefixes[slot]!;
  const next = (cpu.eip + store.lengthBytes[slot]!) >>> 0;
  const r = cpu.r;
  const step = cpu.flags.word & FLAG_DF ? -(size / 8) : size / 8;
  const elementCycles = cpuCostCycles.stringElement;
  if ((prefixes & (PREFIX_REP | PREFIX_REPNE)) === 0) {
    element(cpu, handler, size, step);
    cpu.eip = next;
    return elementCycles;
  }
  const compares = handler === HandlerId.Cmps || handler === HandlerId.Scas;
  const stopOnZero = (prefixes & PREFIX_REPNE) !== 0;
  let usedCycles = 0;
  // At least one iteration per call, so a run always makes progress.
  do {
    if (r[ECX] === 0) {
      cpu.eip = next;
      return usedCycles + elementCycles;
    }
    element(cpu, handler, size, step);
    r[ECX] = (r[ECX]! - 1) | 0;
    usedCycles += elementCycles;
    if (compares && (cpu.flags.zf() !== 0) === stopOnZero) {
      cpu.eip = next;
      return usedCycles;
    }
  } while (usedCycles < budgetCycles);
  if (r[ECX] === 0) cpu.eip = next;
  return usedCycles;
}

/** One iteration; registers change only after its memory accesses succeeded. */
function element(cpu: Cpu, handler: number, size: number, step: number): void {
  const r = cpu.r;
  const esi = r[ESI]!;
  const edi = r[EDI]!;
  switch (handler) {
    case HandlerId.Movs:
      write(cpu, edi, size, read(cpu, esi, size));
      r[ESI] = (esi + step) | 0;
      r[EDI] = (edi + step) | 0;
      break;
    case HandlerId.Stos:
      write(cpu, edi, size, r[0]!);
      r[EDI] = (edi + step) | 0;
      break;
    case HandlerId.Lods: {
      const value = read(cpu, esi, size);
      cpu.writeRegister(0, size, value);
      r[ESI] = (esi + step) | 0;
      break;
    }
    case HandlerId.Cmps: {
      const a = read(cpu, esi, size);
      const b = read(cpu, edi, size);
      cpu.flags.set(LazyOp.Sub, a, b, signExtend(a - b, size));
      r[ESI] = (esi + step) | 0;
      r[EDI] = (edi + step) | 0;
      break;
    }
    default: {
      const a = cpu.readRegister(0, size);
      const b = read(cpu, edi, size);
      cpu.flags.set(LazyOp.Sub, a, b, signExtend(a - b, size));
      r[EDI] = (edi + step) | 0;
      break;
    }
  }
}

/** Reads an element, sign-extended to 32 bits. */
function read(cpu: Cpu, address: number, size: number): number {
  if (size === 32) return cpu.read32(address);
  return size === 16 ? (cpu.read16(address) << 16) >> 16 : (cpu.read8(address) << 24) >> 24;
}

function write(cpu: Cpu, address: number, size: number, value: number): void {
  if (size === 32) cpu.write32(address, value);
  else if (size === 16) cpu.write16(address, value);
  else cpu.write8(address, value);
}
