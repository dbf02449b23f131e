// The stream generator and its defined-flag table, without running any program: the table says
// what the Intel manual says for the rules whose edges matter most, and every generated program
// is deterministic, its steps file round-trips, and its masks are well-formed, for any seed
// (fast-check prints the failing seed).

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkProperty } from "../support/seeded-property.ts";
import { AF, CF, DF, flagEffect, OF, PF, SF, STATUS, ZF } from "./streams/defined-flags.ts";
import { generateStream } from "./streams/generate.ts";
import { formatSteps, parseSteps } from "./streams/steps-file.ts";

describe("defined-flags table (Intel SDM vol. 2, Flags Affected)", () => {
  it("shifts: count 0 changes nothing; OF only for count 1; AF undefined", () => {
    expect(flagEffect("shl", { widthBits: 32, count: 0 })).toEqual({
      read: 0,
      defined: 0,
      undefined: 0,
    });
    expect(flagEffect("shl", { widthBits: 32, count: 32 })).toEqual({
      read: 0,
      defined: 0,
      undefined: 0,
    });
    expect(flagEffect("shr", { widthBits: 32, count: 1 }).defined).toBe(SF | ZF | PF | CF | OF);
    expect(flagEffect("sar", { widthBits: 16, count: 3 }).undefined).toBe(AF | OF);
  });

  it("SHL/SHR leave CF undefined at counts >= the operand size, SAR does not", () => {
    expect(flagEffect("shr", { widthBits: 8, count: 8 }).undefined & CF).toBe(CF);
    expect(flagEffect("shl", { widthBits: 16, count: 17 }).undefined & CF).toBe(CF);
    expect(flagEffect("sar", { widthBits: 8, count: 20 }).defined & CF).toBe(CF);
  });

  it("rotates: CF for any nonzero masked count, OF only for 1, RCL/RCR read CF", () => {
    expect(flagEffect("rol", { widthBits: 8, count: 8 })).toEqual({
      read: 0,
      defined: CF,
      undefined: OF,
    });
    expect(flagEffect("rcr", { widthBits: 32, count: 1 })).toEqual({
      read: CF,
      defined: CF | OF,
      undefined: 0,
    });
    expect(flagEffect("rcl", { widthBits: 16, count: 0x20 })).toEqual({
      read: CF,
      defined: 0,
      undefined: 0,
    });
  });

  it("SHLD/SHRD: all undefined above the operand size, AF undefined whenever it shifts", () => {
    expect(flagEffect("shld", { widthBits: 16, count: 17 })).toEqual({
      read: 0,
      defined: 0,
      undefined: STATUS,
    });
    expect(flagEffect("shrd", { widthBits: 16, count: 16 }).defined).toBe(CF | SF | ZF | PF);
  });

  it("multiply, divide, bit test and scan, logic", () => {
    expect(flagEffect("imul", { widthBits: 32 }).defined).toBe(CF | OF);
    expect(flagEffect("div", { widthBits: 8 }).undefined).toBe(STATUS);
    expect(flagEffect("bts", { widthBits: 16 })).toEqual({
      read: 0,
      defined: CF,
      undefined: OF | SF | AF | PF,
    });
    expect(flagEffect("bsr", { widthBits: 32 }).defined).toBe(ZF);
    expect(flagEffect("xor", { widthBits: 8 }).undefined).toBe(AF);
    expect(flagEffect("inc", { widthBits: 8 }).defined & CF).toBe(0);
  });

  it("REP CMPS with ECX = 0 changes no flag; string ops read DF", () => {
    expect(flagEffect("cmpsb", { widthBits: 8, repeatCount: 0 })).toEqual({
      read: DF,
      defined: 0,
      undefined: 0,
    });
    expect(flagEffect("scasd", { widthBits: 32, repeatCount: 3 }).defined).toBe(STATUS);
  });

  it("refuses a mnemonic it has no rule for", () => {
    expect(() => flagEffect("aaa", { widthBits: 8 })).toThrow(/no rule/);
  });
});

describe("stream generator", () => {
  it("is deterministic, its steps file round-trips and its masks are well-formed, for any seed", () => {
    checkProperty(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (seed) => {
        const first = generateStream(seed, 150);
        const second = generateStream(seed, 150);
        expect(second.source).toBe(first.source);
        const text = formatSteps(seed, first.steps);
        const parsed = parseSteps(text, "generated");
        expect(parsed.seed).toBe(seed);
        expect(parsed.steps).toEqual(first.steps);
        expect(first.steps.length).toBeGreaterThan(150);
        for (const step of first.steps) {
          expect(step.flagsMask & ~(STATUS | DF)).toBe(0);
          expect(step.flagsMask & DF).toBe(DF);
        }
        // One dump call per step, each after the step's lines.
        const dumps = first.source.match(/^ {2}call dump(_window)?$/gm) ?? [];
        expect(dumps.length).toBe(first.steps.length + 1);
      }),
      "test/oracle/stream-generator.test.ts",
      25,
    );
  });

  it("different seeds give different programs", () => {
    expect(generateStream(1, 50).source).not.toBe(generateStream(2, 50).source);
  });
});
