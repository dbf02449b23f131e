// NASM's floating-point constants (`dd 1.5`, `dq 0x1.8p3`, `dt 123p`, `__?float32?__(x)`),
// converted bit for bit as NASM 2.16's asm/floats.c does: the decimal significand is read
// into a 192-bit mantissa by repeated doubling (at most 52 digits), scaled by 5^exponent with
// 192-bit truncating multiplies, then rounded once to the target format (round to nearest,
// ties to even). This is not always the correctly rounded value, which is why the arithmetic
// is NASM's and not the host's. Hex, octal and binary significands (`0x1.8p3`), packed BCD
// (`123p`, `0p123`) and the special values (`__?Infinity?__`, `__?QNaN?__`, `__?SNaN?__`)
// are included; `[float daz|up|down|zero]` (other rounding modes) is left out.

/** Bits of the internal mantissa: 6 limbs of 32 bits, most significant first. */
const mantissaBits = 192n;
const mantissaMask = (1n << mantissaBits) - 1n;
const mantissaTopBit = 1n << (mantissaBits - 1n);
/** Significant decimal digits NASM keeps; more are dropped with a warning. */
const decimalDigitsMax = 52;

export interface FloatFormat {
  readonly bytes: number;
  readonly mantissaBits: number;
  /** 1 when the integer bit is stored (x87's 80-bit format). */
  readonly explicitOne: 0 | 1;
  readonly exponentBits: number;
  /** First byte taken by __?float80e?__ / __?float128h?__ (the upper part). */
  readonly offset: number;
}

/** NASM's formats (asm/floats.c fp_formats), by the name of their `__?floatN?__` function. */
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

/** The format db/dw/dd/dq/dt/do use for a float (NASM's float_deffmt), or undefined. */
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

class FloatError extends Error {}

/** NASM's read_exponent: decimal digits and `_`, the magnitude capped at `max`. */
function readExponent(text: string, max: number): number {
  let i = 0;
  let negative = false;
  if (text[i] === "+") i++;
  else if (text[i] === "-") {
    negative = true;
    i++;
  }
  let value = 0;
  for (; i < text.length; i++) {
    const ch = text[i]!;
    if (ch >= "0" && ch <= "9") value = Math.min(value * 10 + (ch.charCodeAt(0) - 48), max);
    else if (ch !== "_") {
      throw new FloatError(`invalid character in floating-point constant exponent: '${ch}'`);
    }
  }
  return negative ? -value : value;
}

/** asm/floats.c float_multiply: the top 192 bits of a*b, normalised; returns the shift. */
function multiply(a: bigint, b: bigint): { product: bigint; twos: number } {
  const full = a * b;
  if (full >> (2n * mantissaBits - 1n) !== 0n) return { product: full >> mantissaBits, twos: 0 };
  return { product: (full >> (mantissaBits - 1n)) & mantissaMask, twos: -1 };
}

interface Mantissa {
  /** 192 bits, the binary point before the top bit: the value is mant * 2^(exponent-192). */
  readonly mant: bigint;
  readonly exponent: number;
}

/** asm/floats.c ieee_flconvert: a decimal significand with optional `e` exponent. */
function decimalMantissa(text: string, warnings: string[]): Mantissa {
  const digits: number[] = [];
  let tenPower = 0;
  let started = false;
  let seenDot = false;
  let warned = false;
  let i = 0;
  for (; i < text.length && text[i] !== "e" && text[i] !== "E"; i++) {
    const ch = text[i]!;
    if (ch === ".") {
      if (seenDot) throw new FloatError("too many periods in floating-point constant");
      seenDot = true;
    } else if (ch >= "0" && ch <= "9") {
      if (ch === "0" && !started) {
        if (seenDot) tenPower--;
      } else {
        started = true;
        if (digits.length < decimalDigitsMax) digits.push(ch.charCodeAt(0) - 48);
        else if (!warned) {
          warnings.push(
            `floating-point constant significand contains more than ${decimalDigitsMax} digits [-w+float-toolong]`,
          );
          warned = true;
        }
        if (!seenDot) tenPower++;
      }
    } else if (ch !== "_") {
      throw new FloatError(`invalid character in floating-point constant significand: '${ch}'`);
    }
  }
  if (i < text.length) tenPower += readExponent(text.slice(i + 1), 5000);

  // The value is 0.DIGITS * 10^tenPower. Turn 0.DIGITS into binary by doubling, keeping
  // 192 bits from the first 1 (truncated), as the C code does digit by digit.
  let numerator = 0n;
  for (const digit of digits) numerator = numerator * 10n + BigInt(digit);
  const denominator = 10n ** BigInt(digits.length);
  let mant = 0n;
  let bitsTaken = 0n;
  let twoPower = 0;
  while (bitsTaken < mantissaBits && numerator !== 0n) {
    numerator *= 2n;
    const bit = numerator >= denominator;
    if (bit) numerator -= denominator;
    if (bit || bitsTaken > 0n) {
      if (bit) mant |= 1n << (mantissaBits - 1n - bitsTaken);
      bitsTaken++;
    } else {
      twoPower--;
    }
  }
  twoPower += tenPower;

  // Multiply by 5^tenPower (square and multiply, every product truncated to 192 bits).
  let mult: bigint;
  let extraTwos: number;
  let power = tenPower;
  if (power < 0) {
    // 0xcccc...cccd: 4/5 rounded up, so 1/5 = mult * 2^-2.
    mult = (mantissaMask / 0xffn) * 0xccn + 1n;
    extraTwos = -2;
    power = -power;
  } else if (power > 0) {
    mult = 5n << (mantissaBits - 3n);
    extraTwos = 3;
  } else {
    mult = 0n;
    extraTwos = 0;
  }
  while (power !== 0) {
    if (power & 1) {
      const step = multiply(mant, mult);
      mant = step.product;
      twoPower += extraTwos + step.twos;
    }
    const square = multiply(mult, mult);
    mult = square.product;
    extraTwos = extraTwos * 2 + square.twos;
    power >>>= 1;
  }
  return { mant, exponent: twoPower };
}

const log2Table = [-1, 0, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3];

function hexDigitValue(ch: string): number {
  const code = ch.charCodeAt(0);
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (code >= 65 && code <= 70) return code - 55;
  return 16;
}

/** asm/floats.c ieee_flconvert_bin: radix 2^bitsPerDigit significand, `p` binary exponent. */
function binaryMantissa(text: string, bitsPerDigit: number): Mantissa {
  const radix = 1 << bitsPerDigit;
  // Seven limbs: the seventh is NASM's guard slot, whose bits are dropped.
  const limbs = new Uint32Array(7);
  let limb = 0;
  let shift = 0;
  let twoPower = 0;
  let seenDot = false;
  let seenDigit = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const value = hexDigitValue(ch);
    if (ch === ".") {
      if (seenDot) throw new FloatError("too many periods in floating-point constant");
      seenDot = true;
    } else if (value < radix) {
      if (!seenDigit && value !== 0) {
        const log = log2Table[value]!;
        seenDigit = true;
        limb = 0;
        shift = 31 - log;
        twoPower += log + 1 - bitsPerDigit;
      }
      if (seenDigit) {
        if (shift < 0) {
          limbs[limb] = (limbs[limb]! | (-shift >= 32 ? 0 : value >>> -shift)) >>> 0;
          limb = Math.min(limb + 1, 6);
          shift += 32;
        }
        limbs[limb] = (limbs[limb]! | ((value << shift) >>> 0)) >>> 0;
        shift -= bitsPerDigit;
        if (!seenDot) twoPower += bitsPerDigit;
      } else if (seenDot) {
        twoPower -= bitsPerDigit;
      }
    } else if (ch === "p" || ch === "P") {
      twoPower += readExponent(text.slice(i + 1), 20000);
      break;
    } else if (ch !== "_") {
      throw new FloatError(`floating-point constant: \`${ch}' is invalid character`);
    }
  }
  if (!seenDigit) return { mant: 0n, exponent: 0 };
  let mant = 0n;
  for (let k = 0; k < 6; k++) mant = (mant << 32n) | BigInt(limbs[k]!);
  return { mant, exponent: twoPower };
}

/** Bit `bit` of the mantissa, numbered from the top (0 = most significant). */
function testBit(mant: bigint, bit: number): boolean {
  return ((mant >> (mantissaBits - 1n - BigInt(bit))) & 1n) === 1n;
}

function bitAt(bit: number): bigint {
  return 1n << (mantissaBits - 1n - BigInt(bit));
}

/**
 * asm/floats.c ieee_round, round to nearest: keeps the top `bits` bits. Returns the rounded
 * mantissa (a carry out of the top is lost, as in NASM, where the caller checks for it).
 */
function roundNearest(mant: bigint, bits: number): bigint {
  const lowBits = mantissaBits - BigInt(bits);
  const keptMask = mantissaMask ^ ((1n << lowBits) - 1n);
  const half = 1n << (lowBits - 1n);
  const kept = mant & keptMask;
  if ((mant & half) === 0n) return kept;
  const sticky = (mant & (half - 1n)) !== 0n;
  if (sticky || testBit(mant, bits - 1)) return (kept + (1n << lowBits)) & mantissaMask;
  return kept;
}

/** asm/floats.c to_packed_bcd: the digits read from the right, 18 kept, and a sign byte. */
function packedBcd(
  digits: string,
  negative: boolean,
  format: FloatFormat,
  warnings: string[],
): Uint8Array {
  if (format.bytes !== 10) throw new FloatError("packed BCD requires an 80-bit format");
  const bytes = new Uint8Array(10);
  let count = 0;
  let pending = -1;
  let out = 0;
  for (let i = digits.length - 1; i >= 0; i--) {
    const ch = digits[i]!;
    if (ch >= "0" && ch <= "9") {
      if (pending < 0) {
        if (count === 9) warnings.push("packed BCD truncated to 18 digits [-w+other]");
        pending = ch.charCodeAt(0) - 48;
      } else {
        if (count < 9) bytes[out++] = pending + ((ch.charCodeAt(0) - 48) << 4);
        count++;
        pending = -1;
      }
    } else if (ch !== "_") {
      throw new FloatError(`invalid character \`${ch}' in packed BCD constant`);
    }
  }
  if (pending >= 0 && count < 9) bytes[out] = pending;
  bytes[9] = negative ? 0x80 : 0;
  return bytes;
}

/** The mantissa of a numeric float token, choosing the radix from its prefix as NASM does. */
function numericMantissa(text: string, warnings: string[]): Mantissa {
  if (text[0] === "$") return binaryMantissa(text.slice(1), 4);
  if (text[0] !== "0") return decimalMantissa(text, warnings);
  switch (text[1]?.toLowerCase()) {
    case "x":
    case "h":
      return binaryMantissa(text.slice(2), 4);
    case "o":
    case "q":
      return binaryMantissa(text.slice(2), 3);
    case "b":
    case "y":
      return binaryMantissa(text.slice(2), 1);
    case "d":
    case "t":
      return decimalMantissa(text.slice(2), warnings);
    default:
      return decimalMantissa(text, warnings);
  }
}

type Kind = "zero" | "denormal" | "normal" | SpecialValue;

/** The value in the top `format.bytes * 8` bits of a 192-bit field, as NASM lays it out. */
function encode(text: string, negative: boolean, format: FloatFormat, warnings: string[]) {
  const special = specialFloatValue(text);
  const expMax = 1 << (format.exponentBits - 1);
  const onePosition = format.exponentBits + format.explicitOne;
  const bits = format.bytes * 8;
  let kind: Kind;
  let mant = 0n;
  let exponent = 0;
  if (special) {
    kind = special;
  } else {
    ({ mant, exponent } = numericMantissa(text, warnings));
    if ((mant & mantissaTopBit) !== 0n) {
      exponent--;
      if (exponent >= 2 - expMax && exponent <= expMax) kind = "normal";
      else if (exponent > 0) {
        warnings.push("overflow in floating-point constant [-w+float-overflow]");
        kind = "infinity";
      } else kind = "denormal";
    } else {
      kind = "zero";
    }
  }
  const exponentField = (value: number): bigint =>
    BigInt(value) << (mantissaBits - 1n - BigInt(format.exponentBits));
  if (kind === "denormal") {
    const shift = -(exponent + expMax - 2 - format.exponentBits) + format.explicitOne;
    mant = shift >= Number(mantissaBits) ? 0n : mant >> BigInt(shift);
    mant = roundNearest(mant, bits);
    if ((mant & bitAt(onePosition)) !== 0n) {
      // Rounded up into the normal range.
      if (!format.explicitOne) mant &= ~bitAt(onePosition);
      mant |= exponentField(1);
    } else if (mant === 0n) {
      kind = "zero";
    }
  } else if (kind === "normal") {
    exponent += expMax - 1;
    mant >>= BigInt(onePosition);
    mant = roundNearest(mant, bits);
    if (testBit(mant, onePosition - 1)) {
      // Rounding carried into the next power of two.
      mant >>= 1n;
      exponent++;
      if (exponent >= (expMax << 1) - 1) {
        warnings.push("overflow in floating-point constant [-w+float-overflow]");
        kind = "infinity";
      }
    }
    if (kind === "normal") {
      if (!format.explicitOne) mant &= ~bitAt(onePosition);
      mant |= exponentField(exponent);
    }
  }
  if (kind === "zero") mant = 0n;
  if (kind === "infinity" || kind === "qnan" || kind === "snan") {
    mant = exponentField((1 << format.exponentBits) - 1);
    if (format.explicitOne) mant |= bitAt(onePosition);
    if (kind === "qnan") mant |= bitAt(onePosition + 1);
    else if (kind === "snan") mant |= bitAt(onePosition + format.mantissaBits);
  }
  if (negative) mant |= mantissaTopBit;
  const bytes = new Uint8Array(format.bytes);
  for (let k = 0; k < format.bytes; k++) {
    bytes[k] = Number((mant >> (mantissaBits - BigInt(8 * (format.bytes - k)))) & 0xffn);
  }
  return bytes;
}

/**
 * The bytes (little-endian, `format.bytes` long) of the float token `text` (`1.5`, `0x1p-3`,
 * `123p`, `__?Infinity?__`), negated if `negative`, or NASM's error for it.
 */
export function floatConstant(text: string, negative: boolean, format: FloatFormat): FloatResult {
  const warnings: string[] = [];
  try {
    if (/p$/i.test(text) && !specialFloatValue(text)) {
      return {
        ok: true,
        bytes: packedBcd(text.slice(0, -1), negative, format, warnings),
        warnings,
      };
    }
    if (/^0p/i.test(text)) {
      return { ok: true, bytes: packedBcd(text.slice(2), negative, format, warnings), warnings };
    }
    return { ok: true, bytes: encode(text, negative, format, warnings), warnings };
  } catch (error) {
    if (error instanceof FloatError) return { ok: false, error: error.message };
    throw error;
  }
}

/**
 * `__?float32?__(x)` and its siblings: the constant's bytes from the format's offset, at most
 * eight, as a signed 64-bit integer (NASM's eval_floatize).
 */
export function floatizeValue(result: Uint8Array, format: FloatFormat): bigint {
  const length = Math.min(format.bytes - format.offset, 8);
  let value = 0n;
  for (let k = length - 1; k >= 0; k--) value = (value << 8n) | BigInt(result[format.offset + k]!);
  return BigInt.asIntN(64, value);
}
