// Lazy EFLAGS, in the manner of v86 and Bochs: an arithmetic instruction records what it
// did (the kind of operation, its operands and result) and the six status flags are
// computed only when something reads them. Operands and result are kept sign-extended from
// the operand size to 32 bits, which makes every formula below size-independent:
// sign extension preserves both signed and unsigned order, bit 31 equals the operand's
// sign bit, and the low byte / bit 4 are unchanged. Flags the manual leaves undefined get
// whatever the formula gives (AF = 0 after logic ops and shifts).

import {
  FLAG_AF,
  FLAG_CF,
  FLAG_IF,
  FLAG_OF,
  FLAG_PF,
  FLAG_RESERVED_ONE,
  FLAG_SF,
  FLAG_ZF,
  parityFlagOfByte,
  STATUS_FLAGS,
} from "./eflags.ts";

export const enum LazyOp {
  /** `word` holds the status flags. */
  None = 0,
  /** a + b */
  Add = 1,
  /** a + b + 1 (adc with CF = 1) */
  AddCarry = 2,
  /** a - b (also cmp, neg as 0 - b) */
  Sub = 3,
  /** a - b - 1 (sbb with CF = 1) */
  SubBorrow = 4,
  /** and/or/xor/test: CF = OF = 0 */
  Logic = 5,
  /** a + 1, CF kept in `word` */
  Inc = 6,
  /** a - 1, CF kept in `word` */
  Dec = 7,
  /** shifts, multiplies: CF = a & 1 and OF = b & 1 computed by the instruction */
  Explicit = 8,
}

export class LazyFlags {
  op: LazyOp = LazyOp.None;
  a = 0;
  b = 0;
  result = 0;
  /** EFLAGS: every flag outside STATUS_FLAGS, and the status flags when op is None. */
  word = FLAG_IF | FLAG_RESERVED_ONE;

  set(op: LazyOp, a: number, b: number, result: number): void {
    this.op = op;
    this.a = a;
    this.b = b;
    this.result = result;
  }

  /** For inc/dec, which keep CF: fixes the current CF into `word` first. */
  setKeepingCarry(op: LazyOp.Inc | LazyOp.Dec, a: number, result: number): void {
    const carry = this.cf();
    this.word = (this.word & ~FLAG_CF) | carry;
    this.op = op;
    this.a = a;
    this.b = 1;
    this.result = result;
  }

  cf(): number {
    switch (this.op) {
      case LazyOp.None:
      case LazyOp.Inc:
      case LazyOp.Dec:
        return this.word & FLAG_CF;
      case LazyOp.Add:
        return this.result >>> 0 < this.a >>> 0 ? 1 : 0;
      case LazyOp.AddCarry:
        return this.result >>> 0 <= this.a >>> 0 ? 1 : 0;
      case LazyOp.Sub:
        return this.a >>> 0 < this.b >>> 0 ? 1 : 0;
      case LazyOp.SubBorrow:
        return this.a >>> 0 <= this.b >>> 0 ? 1 : 0;
      case LazyOp.Logic:
        return 0;
      default:
        return this.a & 1;
    }
  }

  of(): number {
    switch (this.op) {
      case LazyOp.None:
        return this.word & FLAG_OF;
      case LazyOp.Add:
      case LazyOp.AddCarry:
      case LazyOp.Inc:
        return (this.a ^ this.result) & (this.b ^ this.result) & 0x80000000 ? FLAG_OF : 0;
      case LazyOp.Sub:
      case LazyOp.SubBorrow:
      case LazyOp.Dec:
        return (this.a ^ this.b) & (this.a ^ this.result) & 0x80000000 ? FLAG_OF : 0;
      case LazyOp.Logic:
        return 0;
      default:
        return this.b & 1 ? FLAG_OF : 0;
    }
  }

  zf(): number {
    if (this.op === LazyOp.None) return this.word & FLAG_ZF;
    return this.result === 0 ? FLAG_ZF : 0;
  }

  sf(): number {
    if (this.op === LazyOp.None) return this.word & FLAG_SF;
    return this.result < 0 ? FLAG_SF : 0;
  }

  pf(): number {
    if (this.op === LazyOp.None) return this.word & FLAG_PF;
    return parityFlagOfByte[this.result & 0xff]!;
  }

  af(): number {
    switch (this.op) {
      case LazyOp.None:
        return this.word & FLAG_AF;
      case LazyOp.Logic:
      case LazyOp.Explicit:
        return 0;
      default:
        return (this.a ^ this.b ^ this.result) & FLAG_AF;
    }
  }

  /** The full EFLAGS value (bit 1 reads as 1). */
  get(): number {
    if (this.op !== LazyOp.None) this.materialise();
    return (this.word | FLAG_RESERVED_ONE) >>> 0;
  }

  /** Replaces the whole EFLAGS value. */
  setWord(value: number): void {
    this.op = LazyOp.None;
    this.word = (value | FLAG_RESERVED_ONE) >>> 0;
  }

  /** Folds the lazy status flags into `word`, so single flags can be edited there. */
  materialise(): void {
    if (this.op === LazyOp.None) return;
    const status = this.cf() | this.pf() | this.af() | this.zf() | this.sf() | this.of();
    this.word = (this.word & ~STATUS_FLAGS) | status;
    this.op = LazyOp.None;
  }

  /** Evaluates condition code 0..15 (o no b ae e ne be a s ns p np l ge le g). */
  condition(cc: number): boolean {
    const op = this.op;
    if (op === LazyOp.Sub) {
      // cmp/sub: compare the operands directly, no flags needed.
      const a = this.a;
      const b = this.b;
      switch (cc) {
        case 2:
          return a >>> 0 < b >>> 0;
        case 3:
          return a >>> 0 >= b >>> 0;
        case 4:
          return a === b;
        case 5:
          return a !== b;
        case 6:
          return a >>> 0 <= b >>> 0;
        case 7:
          return a >>> 0 > b >>> 0;
        case 12:
          return a < b;
        case 13:
          return a >= b;
        case 14:
          return a <= b;
        case 15:
          return a > b;
      }
    } else if (op === LazyOp.Logic) {
      const r = this.result;
      switch (cc) {
        case 4:
          return r === 0;
        case 5:
          return r !== 0;
        case 8:
          return r < 0;
        case 9:
          return r >= 0;
        case 12:
          return r < 0;
        case 13:
          return r >= 0;
        case 14:
          return r <= 0;
        case 15:
          return r > 0;
      }
    }
    let holds: boolean;
    switch (cc >>> 1) {
      case 0:
        holds = this.of() !== 0;
        break;
      case 1:
        holds = this.cf() !== 0;
        break;
      case 2:
        holds = this.zf() !== 0;
        break;
      case 3:
        holds = (this.cf() | this.zf()) !== 0;
        break;
      case 4:
        holds = this.sf() !== 0;
        break;
      case 5:
        holds = this.pf() !== 0;
        break;
      case 6:
        holds = (this.sf() !== 0) !== (this.of() !== 0);
        break;
      default:
        holds = this.zf() !== 0 || (this.sf() !== 0) !== (this.of() !== 0);
        break;
    }
    return (cc & 1) === 0 ? holds : !holds;
  }
}
