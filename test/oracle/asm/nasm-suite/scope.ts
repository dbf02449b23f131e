// Which of NASM's own test files (upstream test/, the ones nasm 2.16 assembles with -f bin)
// sterna's assembler is meant to reproduce, and why each other file is out of scope. The
// automatic rules read nasm's preprocessed output (`nasm -E`), so code in false %if branches
// does not count; the named files are decisions about instruction sets the rules cannot see.

export const outOfScopeReasons = {
  bits64: "64-bit code (sterna's machines are i386)",
  simd: "SIMD registers (MMX/SSE/AVX/AVX-512 are not in sterna's ISA table)",
  x87: "x87 floating-point instructions (no FPU in sterna's ISA table)",
  extension: "instruction-set extension beyond the i386 integer set",
  segmentRegisters:
    "segment-register operands (sterna's machine is flat: no segment-register forms)",
  clock: "output depends on the wall clock (nasm 2.16 cannot pin __DATE__/__TIME__)",
} as const;

export type OutOfScopeReason = keyof typeof outOfScopeReasons;

/** Files whose out-of-scope instructions the automatic rules below do not recognise. */
export const namedOutOfScope: Readonly<Record<string, OutOfScopeReason>> = {
  "hle.asm": "extension", // xacquire/xrelease (TSX)
  "mpx.asm": "extension", // bndmk and the MPX bound registers
  "xcrypt.asm": "extension", // VIA PadLock xstore/xcrypt*
  "obsolete.asm": "extension", // 8086-only pop cs, pcommit
  "pushseg.asm": "segmentRegisters",
  "time.asm": "clock",
};

const sixtyFourBit =
  /\bbits\s+64\b|\[bits 64\]|\buse64\b|default\s+rel|\b(r[abcd]x|r[sd]i|r[sb]p|r(8|9|1[0-5])[dwb]?)\b/i;
const simdRegister = /\b([xyz]mm[0-9]+|mm[0-7]|k[0-7])\b/i;
const x87Mnemonic =
  /\bst[0-7]\b|\bst\(|^\s*([a-z_.0-9]+:)?\s*f(ld|st|stp|add|addp|sub|subp|subr|mul|mulp|div|divp|divr|init|ninit|wait|xch|com|comp|compp|ucom|ucomi|comi|chs|abs|sqrt|sin|cos|ldz|ld1|ldpi|ild|ist|istp|isttp|bld|bstp|nstsw|stsw|nstcw|stcw|ldcw|free|incstp|decstp|rndint|scale|xtract|prem|prem1|patan|ptan|yl2x|yl2xp1|2xm1|cmov[a-z]+|nop|tst|xam|ldenv|stenv|nstenv|rstor|save|nsave|clex|nclex|sincos|ldl2t|ldl2e|ldlg2|ldln2|eni|disi|setpm|rstpm|iadd|isub|imul|idiv|icom|icomp)\b/im;

/** The reason `name` is out of scope, from its name and nasm's preprocessed text. */
export function outOfScopeReason(name: string, preprocessed: string): OutOfScopeReason | undefined {
  const named = namedOutOfScope[name];
  if (named) return named;
  const code = preprocessed.replace(/;.*$/gm, "");
  if (sixtyFourBit.test(code)) return "bits64";
  if (simdRegister.test(code)) return "simd";
  if (x87Mnemonic.test(code)) return "x87";
  return undefined;
}
