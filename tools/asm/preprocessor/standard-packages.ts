// The standard macro packages `%use` loads, as NASM 2.16 ships them (macros/fp.mac and
// macros/ifunc.mac, BSD-2-Clause, copyright the NASM authors). Left out: smartalign (its
// `align` computes padding from `$` in the preprocessor, which sterna runs before the passes),
// altreg (64-bit register names) and masm.

const packages: ReadonlyMap<string, string> = new Map([
  [
    "fp",
    `%define Inf __?Infinity?__
%define NaN __?QNaN?__
%define QNaN __?QNaN?__
%define SNaN __?SNaN?__
%define float8(x) __?float8?__(x)
%define float16(x) __?float16?__(x)
%define bfloat16(x) __?bfloat16?__(x)
%define float32(x) __?float32?__(x)
%define float64(x) __?float64?__(x)
%define float80m(x) __?float80m?__(x)
%define float80e(x) __?float80e?__(x)
%define float128l(x) __?float128l?__(x)
%define float128h(x) __?float128h?__(x)
%imacro bf16 1-*.nolist
  %rep %0
    dw __?bfloat16?__(%1)
    %rotate 1
  %endrep
%endmacro
`,
  ],
  [
    "ifunc",
    `%idefine ilog2(x) (__?ilog2e?__(x))
%idefine ilog2e(x) (__?ilog2e?__(x))
%idefine ilog2w(x) (__?ilog2w?__(x))
%idefine ilog2fw(x) (__?ilog2w?__(x))
%idefine ilog2f(x) (__?ilog2f?__(x))
%idefine ilog2cw(x) (__?ilog2w?__(x) * 0 + __?ilog2c?__(x))
%idefine ilog2c(x) (__?ilog2c?__(x))
`,
  ],
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
