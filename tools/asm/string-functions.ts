// NASM's string functions `__?utf16?__`, `__?utf16le?__`, `__?utf16be?__`, `__?utf32?__`,
// `__?utf32le?__` and `__?utf32be?__` (or `__utf16__`...): a UTF-8 string re-encoded, as
// data (`dw __utf16__("text")`) or as a character constant in an expression. Ported from
// NASM 2.16's asm/strfunc.c, including its quirks: UTF-16BE writes a surrogate pair low half
// first, and UTF-32 accepts code points past U+10FFFF from 5- and 6-byte sequences.

export type StringFunction = "utf16le" | "utf16be" | "utf32le" | "utf32be";

const functions: ReadonlyMap<string, StringFunction> = new Map([
  ["utf16", "utf16le"],
  ["utf16le", "utf16le"],
  ["utf16be", "utf16be"],
  ["utf32", "utf32le"],
  ["utf32le", "utf32le"],
  ["utf32be", "utf32be"],
]);

/** `__?utf16?__` or `__utf16__` (any case) -> its encoding; undefined for other names. */
export function stringFunction(name: string): StringFunction | undefined {
  const match = /^__(?:\?([a-z0-9]+)\?|([a-z0-9]+))__$/i.exec(name);
  const key = (match?.[1] ?? match?.[2])?.toLowerCase();
  return key === undefined ? undefined : functions.get(key);
}

/** The UTF-8 `input` in `encoding`, or undefined when it is not valid UTF-8 for NASM. */
export function transformString(
  input: Uint8Array,
  encoding: StringFunction,
): Uint8Array | undefined {
  const wide = encoding === "utf32le" || encoding === "utf32be";
  const bigEndian = encoding === "utf16be" || encoding === "utf32be";
  const units: number[] = [];
  let expect = 0;
  let value = 0;
  let minimum = 0;
  for (const c of input) {
    if (expect > 0) {
      if ((c & 0xc0) !== 0x80) return undefined;
      value = value * 64 + (c & 0x3f);
      if (--expect > 0) continue;
      if (value < minimum || (value >= 0xd800 && value <= 0xdfff)) return undefined;
      if (wide) units.push(value);
      else if (value > 0x10ffff) return undefined;
      else if (value > 0xffff) {
        const offset = value - 0x10000;
        const high = 0xd800 | (offset >> 10);
        const low = 0xdc00 | (offset & 0x3ff);
        if (bigEndian) units.push(low, high);
        else units.push(high, low);
      } else units.push(value);
      continue;
    }
    if (c < 0x80) units.push(c);
    else if (c < 0xc0 || c >= 0xfe) return undefined;
    else if (c < 0xe0) [value, expect, minimum] = [c & 0x1f, 1, 0x80];
    else if (c < 0xf0) [value, expect, minimum] = [c & 0x0f, 2, 0x800];
    else if (c < 0xf8) [value, expect, minimum] = [c & 0x07, 3, 0x10000];
    else if (c < 0xfc) [value, expect, minimum] = [c & 0x03, 4, 0x200000];
    else [value, expect, minimum] = [c & 0x01, 5, 0x4000000];
  }
  if (expect > 0) return undefined;
  const unitBytes = wide ? 4 : 2;
  const out = new Uint8Array(units.length * unitBytes);
  units.forEach((unit, k) => {
    for (let b = 0; b < unitBytes; b++) {
      const byte = Math.floor(unit / 256 ** b) & 0xff;
      out[k * unitBytes + (bigEndian ? unitBytes - 1 - b : b)] = byte;
    }
  });
  return out;
}
