// NASM's numeric literals: 0x/0h/$ hex, 0b/0y binary, 0o/0q octal, 0d/0t decimal prefixes,
// h/x, b/y, o/q, d/t suffixes, underscores anywhere. When a token has both a radix prefix
// and a radix suffix, the larger radix wins (`0bh` is hex 0x0b), as NASM decides. Integers are
// 64-bit (wrapping with a warning, like NASM). Floats are decimal only (`1.5`, `2e10`); NASM's
// hex floats, `Inf`/`NaN` and the 80/128-bit formats are left out.

export type NumberLiteral =
  | { readonly kind: "int"; readonly value: bigint; readonly overflow: boolean }
  | { readonly kind: "float"; readonly value: number }
  | { readonly kind: "invalid" };

function radixLetter(ch: string): number {
  switch (ch.toLowerCase()) {
    case "b":
    case "y":
      return 2;
    case "o":
    case "q":
      return 8;
    case "h":
    case "x":
      return 16;
    case "d":
    case "t":
      return 10;
    default:
      return 0;
  }
}

const floatPattern = /^[0-9_]+(\.[0-9_]*)?(e[+-]?[0-9_]+)?$/i;

/** True for a token NASM reads as a floating-point constant. */
export function isFloatLiteral(text: string): boolean {
  if (!floatPattern.test(text)) return false;
  return text.includes(".") || /e/i.test(text);
}

export function parseNumber(text: string): NumberLiteral {
  if (isFloatLiteral(text)) {
    return { kind: "float", value: Number.parseFloat(text.replaceAll("_", "")) };
  }
  return parseInteger(text);
}

function parseInteger(text: string): NumberLiteral {
  let start = 0;
  let end = text.length;
  let prefixRadix = 0;
  let prefixLength = 0;
  if (end > 2 && text[0] === "0") {
    prefixRadix = radixLetter(text[1]!);
    if (prefixRadix !== 0) prefixLength = 2;
  }
  if (prefixRadix === 0 && end > 1 && text[0] === "$") {
    prefixRadix = 16;
    prefixLength = 1;
  }
  const suffixRadix = end > 1 ? radixLetter(text[end - 1]!) : 0;
  let radix = 10;
  if (prefixRadix > suffixRadix) {
    radix = prefixRadix;
    start = prefixLength;
  } else if (suffixRadix > prefixRadix) {
    radix = suffixRadix;
    end--;
  }
  const bigRadix = BigInt(radix);
  let value = 0n;
  let digits = 0;
  for (let i = start; i < end; i++) {
    const ch = text[i]!;
    if (ch === "_") continue;
    const digit = Number.parseInt(ch, 36);
    if (Number.isNaN(digit) || digit >= radix) return { kind: "invalid" };
    value = value * bigRadix + BigInt(digit);
    digits++;
  }
  if (digits === 0) return { kind: "invalid" };
  const overflow = value >= 1n << 64n;
  return { kind: "int", value: BigInt.asIntN(64, value), overflow };
}

/**
 * NASM's packed BCD constant for `dt` (`1234p`, `0p1234`, underscores allowed): nine bytes of
 * two decimal digits each, least significant first, and a sign byte (0x80 if negative).
 * Digits past the eighteenth (from the right) are dropped, as NASM does with a warning.
 */
export function packedBcd(text: string, negative: boolean): Uint8Array | undefined {
  const match = /^(?:0p([0-9_]+)|([0-9][0-9_]*)p)$/i.exec(text);
  if (!match) return undefined;
  const digits = (match[1] ?? match[2]!).replaceAll("_", "");
  const bytes = new Uint8Array(10);
  for (let k = 0; k < 18 && k < digits.length; k++) {
    const digit = digits.charCodeAt(digits.length - 1 - k) - 48;
    bytes[k >> 1]! |= k % 2 === 0 ? digit : digit << 4;
  }
  bytes[9] = negative ? 0x80 : 0;
  return bytes;
}
