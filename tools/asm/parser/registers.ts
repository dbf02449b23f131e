// Register names as the parser needs them: which words are registers (so `eax` in an
// expression is a register, not a label), the width of the general ones (to check `dword eax`),
// and the segment registers that may override a memory operand's segment. Which registers an
// instruction can encode is the encoder's business.

const generalRegisterSizes = new Map<string, 8 | 16 | 32>();
for (const name of ["eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"]) {
  generalRegisterSizes.set(name, 32);
}
for (const name of ["ax", "cx", "dx", "bx", "sp", "bp", "si", "di"]) {
  generalRegisterSizes.set(name, 16);
}
for (const name of ["al", "cl", "dl", "bl", "ah", "ch", "dh", "bh"]) {
  generalRegisterSizes.set(name, 8);
}

const segmentRegisters = new Set(["es", "cs", "ss", "ds", "fs", "gs"]);

/** NASM registers outside the general set: accepted by the parser, refused by the encoder. */
const otherRegisterPattern = /^(cr[0-8]|dr[0-7]|tr[3-7]|st[0-7]?|mm[0-7]|xmm[0-7])$/;

/** Lower-case name -> true if NASM reads the word as a register. */
export function isRegisterName(lowerName: string): boolean {
  return (
    generalRegisterSizes.has(lowerName) ||
    segmentRegisters.has(lowerName) ||
    otherRegisterPattern.test(lowerName)
  );
}

export function isSegmentRegister(lowerName: string): boolean {
  return segmentRegisters.has(lowerName);
}

/** Width in bits of a general register, undefined for any other name. */
export function generalRegisterSize(lowerName: string): 8 | 16 | 32 | undefined {
  return generalRegisterSizes.get(lowerName);
}
