// Which EFLAGS bits the Intel manual (SDM vol. 2, "Flags Affected" of each instruction) DEFINES
// after each instruction the stream generator emits. Expected values come from qemu-i386, but
// only the bits defined here are compared: the manual lets a real CPU leave anything in the
// others. Each family cites the manual's rule. Only the six status flags and DF are modelled;
// IF/TF/IOPL/AC/ID are never compared (user mode cannot change them meaningfully).
//
// An instruction's effect on flags is three sets:
//   read       flags whose values the instruction consumes (they must be defined beforehand,
//              or its result is undefined too: the generator defines them first);
//   defined    flags it sets to a value the manual specifies;
//   undefined  flags the manual says are undefined afterwards.
// Flags in none of the sets are unchanged, so they stay as defined as they were before.

export const CF = 0x001;
export const PF = 0x004;
export const AF = 0x010;
export const ZF = 0x040;
export const SF = 0x080;
export const DF = 0x400;
export const OF = 0x800;
/** The six arithmetic status flags. */
export const STATUS = CF | PF | AF | ZF | SF | OF;

export interface FlagEffect {
  read: number;
  defined: number;
  undefined: number;
}

/** Operand details some rules depend on. */
export interface FlagContext {
  /** Operand size in bits: 8, 16 or 32. */
  widthBits: number;
  /** Shift/rotate count as written (imm8, CL or 1), before the CPU masks it. */
  count?: number;
  /** Repeat count (ECX) for a rep-prefixed string instruction. */
  repeatCount?: number;
  /** Condition code name (o no b ae e ne be a s ns p np l ge le g) for jcc/setcc/cmovcc. */
  condition?: string;
}

const NONE: FlagEffect = { read: 0, defined: 0, undefined: 0 };

function effect(read: number, defined: number, undefinedFlags = 0): FlagEffect {
  return { read, defined, undefined: undefinedFlags };
}

/** Flags each condition code tests (SDM vol. 1, appendix B, "EFLAGS Condition Codes"). */
export const conditionReads: Readonly<Record<string, number>> = {
  o: OF,
  no: OF,
  b: CF,
  ae: CF,
  e: ZF,
  ne: ZF,
  be: CF | ZF,
  a: CF | ZF,
  s: SF,
  ns: SF,
  p: PF,
  np: PF,
  l: SF | OF,
  ge: SF | OF,
  le: ZF | SF | OF,
  g: ZF | SF | OF,
};

export const conditionNames: readonly string[] = Object.keys(conditionReads);

/** The CPU masks shift and rotate counts to 5 bits for every operand size (SAL/SAR/SHL/SHR). */
function maskedCount(context: FlagContext): number {
  return (context.count ?? 1) & 0x1f;
}

/**
 * The flag effect of `mnemonic` (NASM spelling, lower case, no prefixes) with the given operands.
 * Throws for a mnemonic the table does not know, so the generator cannot emit an instruction
 * whose flags nobody has looked up.
 */
export function flagEffect(mnemonic: string, context: FlagContext): FlagEffect {
  switch (mnemonic) {
    // ADD/SUB/CMP/NEG/XADD/CMPXCHG: "The OF, SF, ZF, AF, CF, and PF flags are set according to
    // the result." NEG: "CF is set to 0 if the source operand is 0; otherwise it is set to 1."
    case "add":
    case "sub":
    case "cmp":
    case "neg":
    case "xadd":
    case "cmpxchg":
      return effect(0, STATUS);
    // ADC/SBB add or subtract CF, then set all six like ADD/SUB.
    case "adc":
    case "sbb":
      return effect(CF, STATUS);
    // INC/DEC: "The CF flag is not affected. The OF, SF, ZF, AF, and PF flags are set
    // according to the result."
    case "inc":
    case "dec":
      return effect(0, OF | SF | ZF | AF | PF);
    // AND/OR/XOR/TEST: "The OF and CF flags are cleared; the SF, ZF, and PF flags are set
    // according to the result. The state of the AF flag is undefined."
    case "and":
    case "or":
    case "xor":
    case "test":
      return effect(0, OF | CF | SF | ZF | PF, AF);
    // NOT: "None." (flags not affected).
    case "not":
      return NONE;
    // SAL/SHL/SAR/SHR: "If the count is 0, the flags are not affected. [...] CF contains the
    // last bit shifted out; it is undefined for SHL and SHR where the count is greater than or
    // equal to the size (in bits) of the destination. The OF flag is affected only for 1-bit
    // shifts; otherwise, it is undefined. The SF, ZF, and PF flags are set according to the
    // result. For a non-zero count, the AF flag is undefined." The count is the masked count.
    case "shl":
    case "sal":
    case "shr":
    case "sar": {
      const count = maskedCount(context);
      if (count === 0) return NONE;
      let defined = SF | ZF | PF;
      let undefinedFlags = AF;
      if (mnemonic !== "sar" && count >= context.widthBits) undefinedFlags |= CF;
      else defined |= CF;
      if (count === 1) defined |= OF;
      else undefinedFlags |= OF;
      return effect(0, defined, undefinedFlags);
    }
    // ROL/ROR/RCL/RCR: "If the masked count is 0, the flags are not affected. If the masked
    // count is 1, then the OF flag is affected, otherwise (masked count is greater than 1) the
    // OF flag is undefined. The CF flag is affected when the masked count is nonzero. The SF,
    // ZF, AF, and PF flags are always unaffected." RCL/RCR also read CF (it is rotated in).
    case "rol":
    case "ror":
    case "rcl":
    case "rcr": {
      const count = maskedCount(context);
      const read = mnemonic === "rcl" || mnemonic === "rcr" ? CF : 0;
      if (count === 0) return effect(read, 0);
      return count === 1 ? effect(read, CF | OF) : effect(read, CF, OF);
    }
    // SHLD/SHRD: "If the count is 1 or greater, the CF flag is filled with the last bit shifted
    // out [...] and the SF, ZF, and PF flags are set according to the value of the result. For a
    // 1-bit shift, the OF flag is set if a sign change occurred; otherwise, it is cleared. For
    // shifts greater than one bit, the OF flag is undefined. If a shift occurs, the AF flag is
    // undefined. If the count operand is 0, the flags are not affected. If the count is greater
    // than the operand size, the flags are undefined." (count = count MOD 32)
    case "shld":
    case "shrd": {
      const count = maskedCount(context);
      if (count === 0) return NONE;
      if (count > context.widthBits) return effect(0, 0, STATUS);
      return count === 1
        ? effect(0, CF | SF | ZF | PF | OF, AF)
        : effect(0, CF | SF | ZF | PF, AF | OF);
    }
    // MUL/IMUL (all forms): "The OF and CF flags are set to 0 if the upper half of the result is
    // 0 [MUL] / the result fits [IMUL]; otherwise, they are set to 1. The SF, ZF, AF, and PF
    // flags are undefined."
    case "mul":
    case "imul":
      return effect(0, CF | OF, SF | ZF | AF | PF);
    // DIV/IDIV: "The CF, OF, SF, ZF, AF, and PF flags are undefined."
    case "div":
    case "idiv":
      return effect(0, 0, STATUS);
    // BT/BTS/BTR/BTC: "The CF flag contains the value of the selected bit before any change.
    // The ZF flag is unaffected. The OF, SF, AF, and PF flags are undefined."
    case "bt":
    case "bts":
    case "btr":
    case "btc":
      return effect(0, CF, OF | SF | AF | PF);
    // BSF/BSR: "The ZF flag is set to 1 if the source operand is 0; otherwise, the ZF flag is
    // cleared. The CF, OF, SF, AF, and PF flags are undefined." (The destination is undefined
    // for a zero source: the generator masks that register separately.)
    case "bsf":
    case "bsr":
      return effect(0, ZF, CF | OF | SF | AF | PF);
    // CMPS/SCAS compare like CMP: "The CF, OF, SF, ZF, AF, and PF flags are set according to the
    // temporary result of the comparison." With a REP prefix and ECX = 0 nothing executes, so
    // nothing changes. DF is read (it steps ESI/EDI) by every string instruction.
    case "cmpsb":
    case "cmpsw":
    case "cmpsd":
    case "scasb":
    case "scasw":
    case "scasd":
      return context.repeatCount === 0 ? effect(DF, 0) : effect(DF, STATUS);
    // MOVS/STOS/LODS: "None." (they read DF for the direction).
    case "movsb":
    case "movsw":
    case "movsd":
    case "stosb":
    case "stosw":
    case "stosd":
    case "lodsb":
    case "lodsw":
    case "lodsd":
      return effect(DF, 0);
    // SETcc/CMOVcc/Jcc: "None" affected; they read the flags their condition tests.
    // LOOPE/LOOPNE read ZF (they decrement ECX without touching flags).
    case "setcc":
    case "cmovcc":
    case "jcc":
      return effect(conditionReads[context.condition ?? ""] ?? STATUS, 0);
    case "loope":
    case "loopne":
      return effect(ZF, 0);
    // PUSHF/PUSHFD and LAHF copy flags out: every status flag must be defined beforehand.
    // LAHF: "AH <- EFLAGS(SF:ZF:0:AF:0:PF:1:CF)"; flags not affected.
    case "pushfd":
    case "pushfw":
      return effect(STATUS | DF, 0);
    case "lahf":
      return effect(SF | ZF | AF | PF | CF, 0);
    // POPF/POPFD load every status flag and DF from the stack; SAHF loads SF ZF AF PF CF from AH
    // ("The OF flag is not affected").
    case "popfd":
    case "popfw":
      return effect(0, STATUS | DF);
    case "sahf":
      return effect(0, SF | ZF | AF | PF | CF);
    // CLC/STC: "The CF flag is cleared/set." CMC: "The CF flag contains the complement of its
    // original value." CLD/STD: "The DF flag is cleared/set."
    case "clc":
    case "stc":
      return effect(0, CF);
    case "cmc":
      return effect(CF, CF);
    case "cld":
    case "std":
      return effect(0, DF);
    // Data movement, conversion and control transfer: "Flags Affected: None." for MOV, MOVZX,
    // MOVSX, LEA, XCHG, BSWAP, CBW/CWDE, CWD/CDQ, PUSH, POP, PUSHA/POPA, NOP, JMP, JECXZ, LOOP,
    // CALL, RET, ENTER, LEAVE.
    case "mov":
    case "movzx":
    case "movsx":
    case "lea":
    case "xchg":
    case "bswap":
    case "cbw":
    case "cwde":
    case "cwd":
    case "cdq":
    case "push":
    case "pop":
    case "pushad":
    case "popad":
    case "pushaw":
    case "popaw":
    case "nop":
    case "jmp":
    case "jecxz":
    case "loop":
    case "call":
    case "ret":
    case "enter":
    case "leave":
      return NONE;
    default:
      throw new Error(`defined-flags: no rule for mnemonic "${mnemonic}"`);
  }
}
