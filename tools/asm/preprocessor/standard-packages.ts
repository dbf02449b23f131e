// The standard macro packages `%use` loads, defined from what the NASM 2.16 manual says they
// provide (chapter 6, "Standard Macro Packages": 6.3 `fp`, 6.4 `ifunc`). Each package is
// built here from a table of names and the built-in each name stands for, written out as
// preprocessor text that the preprocessor reads like an included file. Left out: smartalign
// (its `align` computes padding from `$` in the preprocessor, which sterna runs before the
// passes), altreg (64-bit register names) and masm.

/** fp's constants: the name and the special value it is. */
const fpConstants: readonly (readonly [string, string])[] = [
  ["Inf", "Infinity"],
  ["NaN", "QNaN"],
  ["QNaN", "QNaN"],
  ["SNaN", "SNaN"],
];

/** fp's functions: each `formatN(x)` is the `__?formatN?__(x)` built-in. */
const fpFormats = [
  "float8",
  "float16",
  "bfloat16",
  "float32",
  "float64",
  "float80m",
  "float80e",
  "float128l",
  "float128h",
] as const;

/**
 * ifunc's functions (any case) and the expression each is, over the built-ins
 * `__?ilog2e?__` (exact, else an error), `__?ilog2w?__` (rounds down, warns when inexact),
 * `__?ilog2f?__` (rounds down) and `__?ilog2c?__` (rounds up). The manual's ilog2fw rounds
 * down with the warning, which is ilog2w; ilog2cw rounds up with it, so it evaluates ilog2w
 * only for its warning.
 */
const ifuncFunctions: readonly (readonly [string, string])[] = [
  ["ilog2", "__?ilog2e?__(x)"],
  ["ilog2e", "__?ilog2e?__(x)"],
  ["ilog2w", "__?ilog2w?__(x)"],
  ["ilog2fw", "__?ilog2w?__(x)"],
  ["ilog2f", "__?ilog2f?__(x)"],
  ["ilog2cw", "__?ilog2c?__(x) + 0 * __?ilog2w?__(x)"],
  ["ilog2c", "__?ilog2c?__(x)"],
];

function lines(...groups: readonly string[][]): string {
  return `${groups.flat().join("\n")}\n`;
}

/** `bf16 a, b, ...`: one bfloat16 word per argument, walking the list with %rotate. */
const bf16Macro = [
  "%imacro bf16 1-*.nolist",
  "%rep %0",
  "dw __?bfloat16?__(%1)",
  "%rotate 1",
  "%endrep",
  "%endmacro",
];

const packages: ReadonlyMap<string, string> = new Map([
  [
    "fp",
    lines(
      fpConstants.map(([name, value]) => `%define ${name} __?${value}?__`),
      fpFormats.map((format) => `%define ${format}(x) __?${format}?__(x)`),
      bf16Macro,
    ),
  ],
  ["ifunc", lines(ifuncFunctions.map(([name, body]) => `%idefine ${name}(x) (${body})`))],
]);

/** The source text of standard package `name` (`fp`, `ifunc`), or undefined. */
export function standardPackageText(name: string): string | undefined {
  return packages.get(name.toLowerCase());
}

/** Packages NASM has that sterna refuses, with the reason. */
export const refusedPackages: ReadonlyMap<string, string> = new Map([
  ["smartalign", "its `align` needs `$` in the preprocessor"],
  ["altreg", "its register names are 64-bit registers"],
  ["masm", "MASM syntax is not supported"],
]);
