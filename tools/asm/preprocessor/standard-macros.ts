// The multi-line macros NASM 2.16 predefines (its standard.mac, and outbin.mac for -f bin):
// sterna runs these directives itself, but `%ifmacro org` must still see them, as in NASM.
// Each is an %imacro: matched without regard to case.

export interface MacroParameterRange {
  readonly name: string;
  readonly minParams: number;
  /** Infinity for `-*`. */
  readonly maxParams: number;
  readonly greedy: boolean;
}

const many = Number.POSITIVE_INFINITY;

function range(name: string, minParams: number, maxParams: number, greedy: boolean) {
  return { name, minParams, maxParams, greedy };
}

const everyFormat: readonly MacroParameterRange[] = [
  range("section", 1, 1, true),
  range("segment", 1, 1, true),
  range("sectalign", 1, 1, true),
  range("absolute", 1, 1, true),
  range("struc", 1, 2, false),
  range("endstruc", 0, 0, false),
  range("istruc", 1, 1, false),
  range("at", 1, 2, true),
  range("iend", 0, 0, false),
  range("align", 1, 2, true),
  range("alignb", 1, 2, true),
  range("bits", 1, 1, true),
  range("use16", 0, 0, false),
  range("use32", 0, 0, false),
  range("use64", 0, 0, false),
  range("extern", 1, many, false),
  range("static", 1, many, false),
  range("global", 1, many, false),
  range("required", 1, many, false),
  range("common", 1, many, false),
  range("cpu", 1, 1, true),
  range("float", 1, many, false),
  range("default", 1, 1, true),
  range("userel", 0, 0, false),
  range("useabs", 0, 0, false),
  range("usebnd", 0, 0, false),
  range("usenobnd", 0, 0, false),
  range("incbin", 1, 2, true),
];

const binOnly: readonly MacroParameterRange[] = [range("org", 1, 1, true)];

export function standardMacros(format: "bin" | "elf"): readonly MacroParameterRange[] {
  return format === "bin" ? [...everyFormat, ...binOnly] : everyFormat;
}

/** NASM's %ifmacro test: the ranges overlap (a `+` on either side opens it upward). */
export function parameterRangesOverlap(
  macro: MacroParameterRange,
  wanted: MacroParameterRange,
): boolean {
  return (
    (macro.minParams <= wanted.maxParams || wanted.greedy) &&
    (wanted.minParams <= macro.maxParams || macro.greedy)
  );
}
