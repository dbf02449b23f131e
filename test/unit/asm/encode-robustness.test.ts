// Bad input never crashes the encoder: random instructions (real and made-up mnemonics,
// registers, prefixes, sizes, scales, huge and fractional values) always give either 1 to 15
// bytes or an error whose operand index points at an operand. Replay a failure with
//   STERNA_SEED=<seed> npx vitest run test/unit/asm/encode-robustness.test.ts

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeInstruction } from "../../../tools/asm/encode/index.ts";
import type { Operand, OperandSize, SourceInstruction } from "../../../tools/asm/instruction.ts";
import { isaRows, mnemonicAliases } from "../../../vm/cpu/isa.ts";
import { checkProperty, propertySeed } from "../../support/seeded-property.ts";

const seed = propertySeed();

const mnemonics = [
  ...new Set(isaRows.map((r) => r.mnemonic)),
  ...mnemonicAliases.keys(),
  "fld",
  "movaps",
  "",
  "XOR",
];
const registerNames = [
  "eax",
  "ax",
  "al",
  "esp",
  "ebp",
  "bp",
  "si",
  "cl",
  "dx",
  "ds",
  "cr0",
  "xmm1",
  "st0",
  "foo",
  "EBX",
];
const sizes: (OperandSize | undefined)[] = [undefined, 8, 16, 32, 64];
const values = fc.oneof(
  fc.integer({ min: -(2 ** 31), max: 2 ** 32 }),
  fc.constantFrom(0, 1, -1, 0x7f, 0x80, 2 ** 40, -(2 ** 40), 1.5, Number.MAX_SAFE_INTEGER),
);

const operand: fc.Arbitrary<Operand> = fc.oneof(
  fc.record({ kind: fc.constant("reg" as const), name: fc.constantFrom(...registerNames) }),
  fc.record({
    kind: fc.constant("imm" as const),
    value: values,
    known: fc.boolean(),
    size: fc.constantFrom(...sizes),
    strict: fc.boolean(),
    distance: fc.constantFrom(undefined, "short" as const, "near" as const),
  }),
  fc.record({
    kind: fc.constant("mem" as const),
    size: fc.constantFrom(...sizes),
    base: fc.constantFrom(undefined, ...registerNames),
    index: fc.constantFrom(undefined, ...registerNames),
    scale: fc.constantFrom(1, 2, 4, 8, 3 as never),
    disp: values,
    dispKnown: fc.boolean(),
    dispSize: fc.constantFrom(undefined, 8 as const, 16 as const, 32 as const),
    segment: fc.constantFrom(undefined, "es", "FS", "ds", "eax"),
    absolute: fc.boolean(),
  }),
);

const instruction: fc.Arbitrary<SourceInstruction> = fc.record({
  mnemonic: fc.constantFrom(...mnemonics),
  prefixes: fc.subarray([
    "rep",
    "repne",
    "lock",
    "o16",
    "o32",
    "a16",
    "a32",
    "es",
    "gs",
    "wait",
    "REP",
  ]),
  operands: fc.array(operand, { maxLength: 4 }),
  bits: fc.constantFrom(16 as const, 32 as const),
  address: fc.nat(0xffffffff),
});

describe(`encoder robustness (seed ${seed})`, () => {
  it("returns bytes or an error for any instruction, never throws", () => {
    checkProperty(
      fc.property(instruction, (ins) => {
        const result = encodeInstruction(ins);
        if (result.ok) {
          expect(result.bytes.length).toBeGreaterThan(0);
          expect(result.bytes.length).toBeLessThanOrEqual(15);
        } else {
          expect(result.message.length).toBeGreaterThan(0);
          if (result.operandIndex !== undefined)
            expect(result.operandIndex).toBeLessThan(ins.operands.length);
        }
      }),
      "test/unit/asm/encode-robustness.test.ts",
      5000,
      { seed },
    );
  });
});
