// NASM's numeric literals: 0x/0h/$ hex, 0b/0y binary, 0o/0q octal, 0d/0t decimal prefixes,
// h/x, b/y, o/q, d/t suffixes, underscores anywhere. When a token has both a radix prefix
// and a radix suffix, the larger radix wins (`0bh` is hex 0x0b), as NASM decides. Integers are
// 64-bit (wrapping with a warning, like NASM). Which tokens are floats is decided here, their
// values in float-constants.ts.

export type NumberLiteral =
  | { readonly kind: "int"; readonly value: bigint; readonly overflow: boolean }
  | { readonly kind: "float" }
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

/**
 * True for a number token NASM reads as floating point (asm/stdscan.c): one with a `.` or a
 * `p`, or an `e` exponent in a number not yet known to be hex (`1e16` and `1e+16`, but not
 * `1e16h`, `0x1e16` or `$1e16`).
 */
export function isFloatLiteral(text: string): boolean {
  let hex = text[0] === "$";
  let exponent = false;
  for (let i = hex ? 1 : 0; i < text.length; i++) {
    const ch = text[i]!;
    if (!hex && (ch === "e" || ch === "E")) {
      exponent = true;
      if (text[i + 1] === "+" || text[i + 1] === "-") return true;
    } else if (ch === "h" || ch === "H" || ch === "x" || ch === "X") {
      hex = true;
    } else if (ch === "p" || ch === "P" || ch === ".") {
      return true;
    }
  }
  return exponent && !hex;
}

/** An integer literal; float tokens (isFloatLiteral) are float-constants.ts's business. */
export function parseNumber(text: string): NumberLiteral {
  if (isFloatLiteral(text)) return { kind: "float" };
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
