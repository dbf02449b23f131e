// The sweep program: not random but exhaustive over the edges where flag rules change. Every
// shift/rotate at every count 0..width+2 and 31/32/33/63/255 (by CL and by imm8), SHLD/SHRD at
// every count, ALU and multiply operations over edge values, BT* over bit offsets, BSF/BSR over
// zero and single bits. Each step loads all inputs (EAX destination, EBX source, ECX count, EDX,
// EFLAGS by POPFD), so it is also the input of manual-model.ts: record.ts and live.ts check
// qemu-i386 against the manual's pseudocode on it, and the vitest test checks sterna against
// qemu-i386 (with the manual's values where qemu departs from them).

import { CF, OF, STATUS } from "./defined-flags.ts";
import type { SweepCase } from "./manual-model.ts";
import { makeRodata, makeWindow } from "./memory-regions.ts";
import { Prng } from "./prng.ts";
import { programSource } from "./program-layout.ts";
import { hex, immText, reg8Names, reg16Names, reg32Names, type Width } from "./registers.ts";
import { type StepRecord, StreamBuilder } from "./stream-builder.ts";

export interface SweepProgram {
  source: string;
  steps: StepRecord[];
  /** cases[i] describes steps[i]; steps[0] (initial state) has no case. */
  cases: Array<SweepCase | undefined>;
}

/** Seed for the sweep's data regions and incidental values (the sweep itself is fixed). */
export const SWEEP_SEED = 0x5eed;

const widths: readonly Width[] = [8, 16, 32];

function regOf(index: number, width: Width): string {
  return width === 8 ? reg8Names[index]! : width === 16 ? reg16Names[index]! : reg32Names[index]!;
}

function edgeValues(width: Width): number[] {
  const top = width === 32 ? 0xffffffff : (1 << width) - 1;
  const sign = 2 ** (width - 1);
  return [0, 1, sign - 1, sign, top, 0x5a & top];
}

function countsFor(width: Width): number[] {
  const counts: number[] = [];
  for (let n = 0; n <= Math.min(width + 2, 35); n++) counts.push(n);
  for (const n of [31, 32, 33, 63, 255]) if (!counts.includes(n)) counts.push(n);
  return counts;
}

class Sweep {
  readonly cases: Array<SweepCase | undefined> = [undefined];

  constructor(
    readonly b: StreamBuilder,
    private readonly prng: Prng,
  ) {}

  /** Loads EAX EBX ECX EDX and EFLAGS, runs `text`, records the case for the model. */
  add(c: SweepCase, text: string): void {
    const setup = [
      `mov eax, ${hex(c.eax)}`,
      `mov ebx, ${hex(c.ebx)}`,
      `mov ecx, ${hex(c.ecx)}`,
      `mov edx, ${hex(c.edx)}`,
      `push dword ${hex(c.flags | 2)}`,
      "popfd",
    ];
    const count = c.form === "cl" ? c.ecx & 0xff : c.form === "one" ? 1 : c.imm;
    const zeroSource =
      (c.mnemonic === "bsf" || c.mnemonic === "bsr") && (c.ebx & (2 ** c.width - 1)) === 0;
    const undefinedDestination =
      zeroSource || ((c.mnemonic === "shld" || c.mnemonic === "shrd") && (count & 31) > c.width);
    this.b.emit({
      setup,
      lines: [text],
      mnemonic: c.mnemonic,
      context: { widthBits: c.width, count },
      setupDefinesFlags: true,
      undefinedRegBits: undefinedDestination
        ? [[0, c.width === 32 ? 0xffffffff : 2 ** c.width - 1]]
        : [],
    });
    this.cases.push(c);
    // The builder reloads an undefined register in a step of its own: keep cases aligned.
    while (this.cases.length < this.b.steps.length) this.cases.push(undefined);
  }

  base(mnemonic: string, width: Width, form: SweepCase["form"]): SweepCase {
    return {
      mnemonic,
      width,
      form,
      eax: this.prng.nextU32(),
      ebx: this.prng.nextU32(),
      ecx: this.prng.nextU32(),
      edx: this.prng.nextU32(),
      flags: this.prng.nextU32() & STATUS,
      imm: 0,
    };
  }
}

function sweepShifts(s: Sweep): void {
  for (const mnemonic of ["shl", "shr", "sar", "rol", "ror", "rcl", "rcr"]) {
    for (const width of widths) {
      const sign = 2 ** (width - 1);
      const patterns = [sign + 1, (0xa5c3e187 >>> 0) % 2 ** width];
      for (const count of countsFor(width)) {
        for (const [p, pattern] of patterns.entries()) {
          for (const byCl of [true, false]) {
            const c = s.base(mnemonic, width, byCl ? "cl" : count === 1 && p === 0 ? "one" : "imm");
            c.eax = ((c.eax & ~(2 ** width - 1)) | pattern) >>> 0;
            if (width === 32) c.eax = pattern;
            if (byCl) c.ecx = ((c.ecx & 0xffffff00) | count) >>> 0;
            c.imm = count;
            // Alternate CF and OF in so unchanged and rotated-in values both show.
            c.flags = (c.flags & ~(CF | OF)) | (byCl ? CF : OF) | (p === 1 ? OF : 0);
            const operand = c.form === "cl" ? "cl" : c.form === "one" ? "1" : String(count);
            s.add(c, `${mnemonic} ${regOf(0, width)}, ${operand}`);
          }
        }
      }
    }
  }
}

function sweepDoubleShifts(s: Sweep): void {
  for (const mnemonic of ["shld", "shrd"]) {
    for (const width of [16, 32] as const) {
      for (const count of countsFor(width)) {
        for (const byCl of [true, false]) {
          const c = s.base(mnemonic, width, byCl ? "cl" : "imm");
          c.imm = count;
          if (byCl) c.ecx = ((c.ecx & 0xffffff00) | count) >>> 0;
          const operand = byCl ? "cl" : String(count);
          s.add(c, `${mnemonic} ${regOf(0, width)}, ${regOf(3, width)}, ${operand}`);
        }
      }
    }
  }
}

function sweepAlu(s: Sweep): void {
  for (const mnemonic of ["add", "adc", "sub", "sbb", "cmp", "and", "or", "xor", "test"]) {
    for (const width of widths) {
      const values = edgeValues(width);
      for (const a of values) {
        for (const [i, b] of values.entries()) {
          const form = i % 2 === 0 ? "reg" : "imm-src";
          const c = s.base(mnemonic, width, form);
          c.eax = width === 32 ? a : ((c.eax & ~(2 ** width - 1)) | a) >>> 0;
          c.ebx = width === 32 ? b : ((c.ebx & ~(2 ** width - 1)) | b) >>> 0;
          c.imm = b;
          const source = form === "reg" ? regOf(3, width) : immText(b, width);
          s.add(c, `${mnemonic} ${regOf(0, width)}, ${source}`);
        }
      }
    }
  }
  for (const mnemonic of ["inc", "dec", "neg", "not"]) {
    for (const width of widths) {
      for (const a of edgeValues(width)) {
        const c = s.base(mnemonic, width, "none");
        c.eax = width === 32 ? a : ((c.eax & ~(2 ** width - 1)) | a) >>> 0;
        s.add(c, `${mnemonic} ${regOf(0, width)}`);
      }
    }
  }
}

function sweepMultiply(s: Sweep): void {
  for (const mnemonic of ["mul", "imul"]) {
    for (const width of widths) {
      const values = edgeValues(width);
      for (const a of values) {
        for (const b of values) {
          const c = s.base(mnemonic, width, "none");
          c.eax = width === 32 ? a : ((c.eax & ~(2 ** width - 1)) | a) >>> 0;
          c.ebx = width === 32 ? b : ((c.ebx & ~(2 ** width - 1)) | b) >>> 0;
          s.add(c, `${mnemonic} ${regOf(3, width)}`);
        }
      }
    }
  }
  for (const width of [16, 32] as const) {
    const values = edgeValues(width);
    for (const a of values) {
      for (const b of values) {
        const two = s.base("imul", width, "reg");
        two.eax = a;
        two.ebx = b;
        s.add(two, `imul ${regOf(0, width)}, ${regOf(3, width)}`);
        const three = s.base("imul", width, "three");
        three.ebx = b;
        three.imm = a;
        s.add(three, `imul ${regOf(0, width)}, ${regOf(3, width)}, ${immText(a, width)}`);
      }
    }
  }
}

function sweepBits(s: Sweep): void {
  for (const mnemonic of ["bt", "bts", "btr", "btc"]) {
    for (const width of [16, 32] as const) {
      for (const offset of [0, 1, 7, 8, 15, 16, 17, 31, 32, 33, 63, 200, 255]) {
        for (const byReg of [true, false]) {
          const c = s.base(mnemonic, width, byReg ? "reg" : "imm");
          c.ebx = ((c.ebx & ~0xff) | offset) >>> 0;
          c.imm = offset;
          const source = byReg ? regOf(3, width) : String(offset);
          s.add(c, `${mnemonic} ${regOf(0, width)}, ${source}`);
        }
      }
    }
  }
  for (const mnemonic of ["bsf", "bsr"]) {
    for (const width of [16, 32] as const) {
      const sign = 2 ** (width - 1);
      for (const source of [0, 1, 2, sign, sign + 1, 0x0100, 2 ** width - 1, 0x0ff0]) {
        const c = s.base(mnemonic, width, "reg");
        c.ebx = width === 32 ? source : ((c.ebx & ~0xffff) | source) >>> 0;
        s.add(c, `${mnemonic} ${regOf(0, width)}, ${regOf(3, width)}`);
      }
    }
  }
}

export function generateSweep(): SweepProgram {
  const prng = new Prng(SWEEP_SEED);
  const rodata = makeRodata(prng);
  const window = makeWindow(prng);
  const b = new StreamBuilder(prng, rodata);
  b.emit({ lines: ["cld"], mnemonic: "cld", context: { widthBits: 32 } });
  b.steps[0]!.text = "initial state";
  const s = new Sweep(b, prng);
  sweepShifts(s);
  sweepDoubleShifts(s);
  sweepAlu(s);
  sweepMultiply(s);
  sweepBits(s);
  const source = programSource("sterna oracle sweep: generated by test/oracle/streams/sweep.ts", {
    rodata,
    window,
    prologue: ["  mov esp, stack_top"],
    body: b.lines,
  });
  return { source, steps: b.steps, cases: s.cases };
}
