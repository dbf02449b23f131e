// Floating-point constants as NASM 2.16 writes them (`dd 1.5`, `dq 0x1.8p3`, `dt 123p`,
// `__?float32?__(x)`), in every format it has (8- to 128-bit, x87's 80-bit with its
// explicit integer bit), plus packed BCD and the special values `__?Infinity?__`,
// `__?QNaN?__`, `__?SNaN?__`. Design: the token is read into an exact rational value
// (an integer times a power of ten or of two), which is rounded once to nearest by exact
// BigInt division, with the two places where nasm's output is not IEEE's correct rounding
// reproduced as facts (roundToFormat says which). Left out: `[float daz|up|down|zero]`.

/** Decimal digits of a significand that count; later ones are dropped with a warning. */
const decimalDigitsMax = 52;
/** Magnitude caps on written exponents (`e` decimal, `p` binary): nasm clamps to these. */
const decimalExponentCap = 5000;
const binaryExponentCap = 20000;
/** Significant bits of a hex/octal/binary significand kept exactly; the rest only as sticky. */
const radixBitsKept = 256;

export interface FloatFormat {
  readonly bytes: number;
  readonly mantissaBits: number;
  /** 1 when the integer bit is stored (x87's 80-bit format). */
  readonly explicitOne: 0 | 1;
  readonly exponentBits: number;
  /** First byte taken by __?float80e?__ / __?float128h?__ (the upper part). */
  readonly offset: number;
}

/** NASM's formats, by the name of their `__?floatN?__` function. */
export const floatFormats = {
  float8: { bytes: 1, mantissaBits: 3, explicitOne: 0, exponentBits: 4, offset: 0 },
  float16: { bytes: 2, mantissaBits: 10, explicitOne: 0, exponentBits: 5, offset: 0 },
  bfloat16: { bytes: 2, mantissaBits: 7, explicitOne: 0, exponentBits: 8, offset: 0 },
  float32: { bytes: 4, mantissaBits: 23, explicitOne: 0, exponentBits: 8, offset: 0 },
  float64: { bytes: 8, mantissaBits: 52, explicitOne: 0, exponentBits: 11, offset: 0 },
  float80m: { bytes: 10, mantissaBits: 63, explicitOne: 1, exponentBits: 15, offset: 0 },
  float80e: { bytes: 10, mantissaBits: 63, explicitOne: 1, exponentBits: 15, offset: 8 },
  float128l: { bytes: 16, mantissaBits: 112, explicitOne: 0, exponentBits: 15, offset: 0 },
  float128h: { bytes: 16, mantissaBits: 112, explicitOne: 0, exponentBits: 15, offset: 8 },
} as const satisfies Record<string, FloatFormat>;

export type FloatFormatName = keyof typeof floatFormats;

/** The format db/dw/dd/dq/dt/do give a float (the first one of that size), or undefined. */
export function dataFloatFormat(unitBytes: number): FloatFormat | undefined {
  return Object.values(floatFormats).find((format) => format.bytes === unitBytes);
}

/**
 * `__?float32?__` or `__float32__` (any case) -> "float32"; undefined for other names. NASM
 * 2.16 knows bfloat16 only in the `__?bfloat16?__` spelling.
 */
export function floatizeFunction(name: string): FloatFormatName | undefined {
  const match = /^__(?:\?([a-z0-9]+)\?|([a-z0-9]+))__$/i.exec(name);
  const key = (match?.[1] ?? match?.[2])?.toLowerCase();
  if (key === undefined || !Object.hasOwn(floatFormats, key)) return undefined;
  return key === "bfloat16" && match?.[2] !== undefined ? undefined : (key as FloatFormatName);
}

type SpecialValue = "infinity" | "qnan" | "snan";

/** `__?Infinity?__`, `__?NaN?__`, `__?QNaN?__`, `__?SNaN?__` (or `__Infinity__`...), any case. */
export function specialFloatValue(name: string): SpecialValue | undefined {
  const match = /^__(?:\?(infinity|nan|qnan|snan)\?|(infinity|nan|qnan|snan))__$/i.exec(name);
  if (!match) return undefined;
  const key = (match[1] ?? match[2])!.toLowerCase();
  return key === "infinity" ? "infinity" : key === "snan" ? "snan" : "qnan";
}

export type FloatResult =
  | { readonly ok: true; readonly bytes: Uint8Array; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly error: string };

class FloatSyntaxError extends Error {}

/** An exact value: `digits * base^power` with base 10 or 2. */
interface ExactValue {
  readonly digits: bigint;
  readonly base: 2n | 10n;
  readonly power: number;
}

/** `+12`, `-3_0`: the signed exponent after `e` or `p`, its magnitude clamped to `cap`. */
function exponentOf(text: string, cap: number): number {
  const sign = text[0] === "-" ? -1 : 1;
  const body = text[0] === "-" || text[0] === "+" ? text.slice(1) : text;
  let magnitude = 0;
  for (const ch of body) {
    if (ch === "_") continue;
    if (ch < "0" || ch > "9") {
      throw new FloatSyntaxError(`invalid character in floating-point constant exponent: '${ch}'`);
    }
    magnitude = Math.min(cap, magnitude * 10 + Number(ch));
  }
  return sign * magnitude;
}

/** `1.5e3`, `.25`, `7.`: decimal digits with at most one point and an optional `e` part. */
function readDecimal(text: string, warnings: string[]): ExactValue {
  let digits = 0n;
  let kept = 0;
  let power = 0;
  let afterPoint = false;
  let warned = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch >= "0" && ch <= "9") {
      if (digits === 0n && ch === "0") {
        if (afterPoint) power--;
      } else if (kept < decimalDigitsMax) {
        digits = digits * 10n + BigInt(ch.charCodeAt(0) - 48);
        kept++;
        if (afterPoint) power--;
      } else {
        if (!warned) {
          warnings.push(
            `floating-point constant significand contains more than ${decimalDigitsMax} digits [-w+float-toolong]`,
          );
          warned = true;
        }
        if (!afterPoint) power++;
      }
    } else if (ch === ".") {
      if (afterPoint) throw new FloatSyntaxError("too many periods in floating-point constant");
      afterPoint = true;
    } else if (ch === "e" || ch === "E") {
      power += exponentOf(text.slice(i + 1), decimalExponentCap);
      break;
    } else if (ch !== "_") {
      throw new FloatSyntaxError(
        `invalid character in floating-point constant significand: '${ch}'`,
      );
    }
  }
  return { digits, base: 10n, power };
}

/** `1.8p3` after a 0x/0o/0b prefix: digits of `bitsPerDigit` bits, a point, a `p` exponent. */
function readPowerOfTwoRadix(text: string, bitsPerDigit: number): ExactValue {
  const radix = 1 << bitsPerDigit;
  let digits = 0n;
  let power = 0;
  let afterPoint = false;
  let sticky = false;
  let full = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const value = Number.parseInt(ch, 16);
    if (!Number.isNaN(value) && value < radix) {
      if (!full) {
        digits = (digits << BigInt(bitsPerDigit)) | BigInt(value);
        full = digits >> BigInt(radixBitsKept) !== 0n;
        if (afterPoint) power -= bitsPerDigit;
      } else {
        sticky ||= value !== 0;
        if (!afterPoint) power += bitsPerDigit;
      }
    } else if (ch === ".") {
      if (afterPoint) throw new FloatSyntaxError("too many periods in floating-point constant");
      afterPoint = true;
    } else if (ch === "p" || ch === "P") {
      power += exponentOf(text.slice(i + 1), binaryExponentCap);
      break;
    } else if (ch !== "_") {
      throw new FloatSyntaxError(`floating-point constant: \`${ch}' is invalid character`);
    }
  }
  // A dropped nonzero digit only matters as "a little more than a tie": one low set bit says so.
  if (sticky) return { digits: (digits << 1n) | 1n, base: 2n, power: power - 1 };
  return { digits, base: 2n, power };
}

/** The exact value of a float token (prefix `0x`/`0h`/`$` hex, `0o`/`0q`, `0b`/`0y`, `0d`/`0t`). */
function readSignificand(text: string, warnings: string[]): ExactValue {
  if (text[0] === "$") return readPowerOfTwoRadix(text.slice(1), 4);
  if (text[0] === "0" && text.length > 1) {
    const body = text.slice(2);
    switch (text[1]!.toLowerCase()) {
      case "x":
      case "h":
        return readPowerOfTwoRadix(body, 4);
      case "o":
      case "q":
        return readPowerOfTwoRadix(body, 3);
      case "b":
      case "y":
        return readPowerOfTwoRadix(body, 1);
      case "d":
      case "t":
        return readDecimal(body, warnings);
    }
  }
  return readDecimal(text, warnings);
}

/** Parameters of a format's bit layout. */
function layoutOf(format: FloatFormat) {
  const fractionBits = format.mantissaBits;
  const bias = (1 << (format.exponentBits - 1)) - 1;
  return {
    fractionBits,
    bias,
    exponentAllOnes: BigInt((1 << format.exponentBits) - 1),
    /** Bits below the exponent field: the fraction plus the stored integer bit, if any. */
    significandFieldBits: BigInt(fractionBits + format.explicitOne),
  };
}

/** Sign, biased exponent and significand field packed into the format's little-endian bytes. */
function pack(negative: boolean, biased: bigint, significand: bigint, format: FloatFormat) {
  const { significandFieldBits } = layoutOf(format);
  const totalBits = BigInt(format.bytes * 8);
  let word = (biased << significandFieldBits) | significand;
  if (negative) word |= 1n << (totalBits - 1n);
  const bytes = new Uint8Array(format.bytes);
  for (let k = 0; k < format.bytes; k++) bytes[k] = Number((word >> BigInt(8 * k)) & 0xffn);
  return bytes;
}

function specialBytes(kind: SpecialValue, negative: boolean, format: FloatFormat): Uint8Array {
  const { fractionBits, exponentAllOnes } = layoutOf(format);
  const integerBit = format.explicitOne ? 1n << BigInt(fractionBits) : 0n;
  const payload = kind === "infinity" ? 0n : kind === "qnan" ? 1n << BigInt(fractionBits - 1) : 1n;
  return pack(negative, exponentAllOnes, integerBit | payload, format);
}

/** floor(log2(numerator / denominator)) for positive operands. */
function floorLog2(numerator: bigint, denominator: bigint): number {
  let estimate = numerator.toString(2).length - denominator.toString(2).length;
  const below =
    estimate >= 0
      ? numerator < denominator << BigInt(estimate)
      : numerator << BigInt(-estimate) < denominator;
  if (below) estimate--;
  return estimate;
}

/**
 * numerator / denominator rounded to the nearest integer. An exact half goes to the even
 * neighbour, or down when `halfDown` (see roundToFormat).
 */
function divideRoundingToNearest(numerator: bigint, denominator: bigint, halfDown: boolean) {
  const quotient = numerator / denominator;
  const twiceRemainder = (numerator - quotient * denominator) * 2n;
  if (twiceRemainder > denominator) return quotient + 1n;
  if (twiceRemainder === denominator && !halfDown && (quotient & 1n) === 1n) return quotient + 1n;
  return quotient;
}

/**
 * The positive rational numerator/denominator in `format`, rounded once to nearest, with
 * subnormals. Two facts of nasm 2.16's output (seen in fixtures/floats.asm and
 * floats-random.asm, recorded with nasm) that plain IEEE rounding does not give:
 * - A decimal constant is converted through a 192-bit binary value cut short, not rounded,
 *   so nasm's intermediate lies a hair below the exact value. Where the exact value is a tie
 *   between two floats, nasm therefore rounds toward zero (16777219.0 as float32 is
 *   16777218, 65520.0 as float16 is 65504); hex, octal and binary significands are exact and
 *   ties go to even (0x1.ffffffp0 as float32 is 2.0). Off ties the error is far too small to
 *   change a rounding, so everything else is the correctly rounded value.
 * - A finite value whose biased exponent is all ones is written as such (362.0 as float8 is
 *   0x7b, not infinity); only a biased exponent past all ones becomes infinity, with
 *   nasm's overflow warning.
 */
function roundToFormat(
  numerator: bigint,
  denominator: bigint,
  negative: boolean,
  format: FloatFormat,
  fromDecimal: boolean,
  warnings: string[],
): Uint8Array {
  const { fractionBits, bias, exponentAllOnes } = layoutOf(format);
  const minNormalExponent = 1 - bias;
  const exponent = Math.max(floorLog2(numerator, denominator), minNormalExponent);
  // Units of the last place at this exponent: value / 2^(exponent - fractionBits).
  const shift = exponent - fractionBits;
  const significand =
    shift >= 0
      ? divideRoundingToNearest(numerator, denominator << BigInt(shift), fromDecimal)
      : divideRoundingToNearest(numerator << BigInt(-shift), denominator, fromDecimal);
  const hidden = 1n << BigInt(fractionBits);
  let finalExponent = exponent;
  let finalSignificand = significand;
  if (significand >= hidden << 1n) {
    finalExponent++;
    finalSignificand = significand >> 1n;
  }
  const biased = finalSignificand >= hidden ? BigInt(finalExponent + bias) : 0n;
  if (biased > exponentAllOnes) {
    warnings.push("overflow in floating-point constant [-w+float-overflow]");
    return specialBytes("infinity", negative, format);
  }
  const field = format.explicitOne ? finalSignificand : finalSignificand & (hidden - 1n);
  return pack(negative, biased, field, format);
}

/** A value this far past the largest or below the smallest float128 needs no arithmetic. */
const decimalMagnitudeMax = 4940;
const decimalMagnitudeMin = -4970;
const binaryMagnitudeMax = 16400;
const binaryMagnitudeMin = -16550;

function encode(
  text: string,
  negative: boolean,
  format: FloatFormat,
  warnings: string[],
): Uint8Array {
  const special = specialFloatValue(text);
  if (special) return specialBytes(special, negative, format);
  const value = readSignificand(text, warnings);
  if (value.digits === 0n) return pack(negative, 0n, 0n, format);
  const digitCount = value.digits.toString(value.base === 10n ? 10 : 2).length;
  const magnitude = value.power + digitCount;
  const [magnitudeMin, magnitudeMax] =
    value.base === 10n
      ? [decimalMagnitudeMin, decimalMagnitudeMax]
      : [binaryMagnitudeMin, binaryMagnitudeMax];
  if (magnitude > magnitudeMax) {
    warnings.push("overflow in floating-point constant [-w+float-overflow]");
    return specialBytes("infinity", negative, format);
  }
  if (magnitude < magnitudeMin) return pack(negative, 0n, 0n, format);
  const fromDecimal = value.base === 10n;
  const scale = value.base ** BigInt(Math.abs(value.power));
  return value.power >= 0
    ? roundToFormat(value.digits * scale, 1n, negative, format, fromDecimal, warnings)
    : roundToFormat(value.digits, scale, negative, format, fromDecimal, warnings);
}

/** Packed BCD (x87 `fbld`): 18 digits, two a byte from the low end, the sign in byte 9. */
function packedBcd(
  digitText: string,
  negative: boolean,
  format: FloatFormat,
  warnings: string[],
): Uint8Array {
  if (format.bytes !== 10) throw new FloatSyntaxError("packed BCD requires an 80-bit format");
  const digits: number[] = [];
  for (const ch of digitText) {
    if (ch === "_") continue;
    if (ch < "0" || ch > "9") {
      throw new FloatSyntaxError(`invalid character \`${ch}' in packed BCD constant`);
    }
    digits.push(Number(ch));
  }
  if (digits.length > 18) warnings.push("packed BCD truncated to 18 digits [-w+other]");
  const bytes = new Uint8Array(10);
  // Only the last 18 digits are kept.
  const lowFirst = digits.reverse().slice(0, 18);
  lowFirst.forEach((digit, index) => {
    bytes[index >> 1]! |= digit << ((index & 1) * 4);
  });
  if (negative) bytes[9] = 0x80;
  return bytes;
}

/**
 * The bytes (little-endian, `format.bytes` long) of the float token `text` (`1.5`, `0x1p-3`,
 * `123p`, `__?Infinity?__`), negated if `negative`, or NASM's error for it.
 */
export function floatConstant(text: string, negative: boolean, format: FloatFormat): FloatResult {
  const warnings: string[] = [];
  try {
    const special = specialFloatValue(text) !== undefined;
    let bytes: Uint8Array;
    if (!special && /p$/i.test(text))
      bytes = packedBcd(text.slice(0, -1), negative, format, warnings);
    else if (/^0p/i.test(text)) bytes = packedBcd(text.slice(2), negative, format, warnings);
    else bytes = encode(text, negative, format, warnings);
    return { ok: true, bytes, warnings };
  } catch (error) {
    if (error instanceof FloatSyntaxError) return { ok: false, error: error.message };
    throw error;
  }
}

/**
 * `__?float32?__(x)` and its siblings: the constant's bytes from the format's offset, at most
 * eight, read as a signed 64-bit integer.
 */
export function floatizeValue(result: Uint8Array, format: FloatFormat): bigint {
  const length = Math.min(format.bytes - format.offset, 8);
  let value = 0n;
  for (let k = length - 1; k >= 0; k--) value = (value << 8n) | BigInt(result[format.offset + k]!);
  return BigInt.asIntN(64, value);
}
