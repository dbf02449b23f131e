// Storage for decoded instructions, struct-of-arrays on typed arrays so the interpreter
// reads fields without allocating. A slot describes one instruction in a normalised form:
//   dst / src   where the first two operands live: a register 0..7 (8-bit registers use
//               x86 numbering al cl dl bl ah ch dh bh), LOCATION_MEMORY (the effective
//               address from base/index/scale/disp), LOCATION_IMMEDIATE (src only: the
//               value is `imm`) or LOCATION_NONE.
//   imm / imm2  immediate, branch displacement or shift count (-1: the count is CL), and
//               a second immediate (enter's nesting level).
//   base/index  register numbers 0..7, or REGISTER_ZERO (a register that always reads 0).
// Slot 0 means "not decoded"; slot 1 is scratch for instructions that are not cached.

export const LOCATION_MEMORY = 8;
export const LOCATION_IMMEDIATE = 9;
export const LOCATION_NONE = 10;
/** Index of the always-zero ninth register the CPU keeps after EDI. */
export const REGISTER_ZERO = 8;

export const PREFIX_REP = 1;
export const PREFIX_REPNE = 2;
export const PREFIX_LOCK = 4;
/** 0x67: base/index are 16-bit registers. Only listings decode it; the CPU raises #UD. */
export const PREFIX_ADDRESS_SIZE_16 = 8;

export const SLOT_NONE = 0;
export const SLOT_SCRATCH = 1;
export const SLOT_FIRST_CACHED = 2;

export class DecodedInstructions {
  /** Fast-path case of the interpreter (see fast-kind.ts). */
  readonly kind: Uint8Array;
  /** Index of the row in isaRows. */
  readonly row: Uint16Array;
  /** Handler id (HandlerId, handler-id.ts). */
  readonly handler: Uint8Array;
  /** Operand size in bits: 8, 16 or 32. */
  readonly size: Uint8Array;
  readonly lengthBytes: Uint8Array;
  readonly dst: Uint8Array;
  readonly src: Uint8Array;
  readonly base: Uint8Array;
  readonly index: Uint8Array;
  /** Shift applied to the index register (0..3). */
  readonly scale: Uint8Array;
  readonly disp: Int32Array;
  readonly imm: Int32Array;
  readonly imm2: Int32Array;
  /** Condition code, or the sub-operation of a fast kind. */
  readonly cc: Uint8Array;
  readonly prefixes: Uint8Array;
  readonly costCycles: Uint8Array;
  /** The compiled block that starts with this instruction, or 0. */
  readonly block: Int32Array;
  /** Times interpreted while no block starts here (wraps: a refused compile is retried). */
  readonly heat: Uint8Array;
  /**
   * Times a conditional branch was taken while interpreted (wraps with heat): which way a
   * block follows it.
   */
  readonly taken: Uint8Array;

  constructor(readonly capacity: number) {
    this.kind = new Uint8Array(capacity);
    this.row = new Uint16Array(capacity);
    this.handler = new Uint8Array(capacity);
    this.size = new Uint8Array(capacity);
    this.lengthBytes = new Uint8Array(capacity);
    this.dst = new Uint8Array(capacity);
    this.src = new Uint8Array(capacity);
    this.base = new Uint8Array(capacity);
    this.index = new Uint8Array(capacity);
    this.scale = new Uint8Array(capacity);
    this.disp = new Int32Array(capacity);
    this.imm = new Int32Array(capacity);
    this.imm2 = new Int32Array(capacity);
    this.cc = new Uint8Array(capacity);
    this.prefixes = new Uint8Array(capacity);
    this.costCycles = new Uint8Array(capacity);
    this.block = new Int32Array(capacity);
    this.heat = new Uint8Array(capacity);
    this.taken = new Uint8Array(capacity);
  }
}
