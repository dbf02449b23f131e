// 64-bit products and 64/32 quotients for mul/imul/div/idiv on 32-bit operands, with plain
// doubles and 16-bit digits (exact: no intermediate exceeds 2^53). Results go into the
// exported `wide` holder so that nothing is allocated per instruction.

export const wide = { low: 0, high: 0 };

/** Unsigned a * b: wide.low / wide.high as int32 bit patterns. */
export function multiplyUnsigned(a: number, b: number): void {
  const aLow = a & 0xffff;
  const aHigh = a >>> 16;
  const bLow = b & 0xffff;
  const bHigh = b >>> 16;
  const lowLow = aLow * bLow;
  const lowHigh = aLow * bHigh;
  const highLow = aHigh * bLow;
  const middle = (lowLow >>> 16) + (lowHigh & 0xffff) + (highLow & 0xffff);
  wide.low = (lowLow & 0xffff) | (middle << 16);
  wide.high =
    (aHigh * bHigh + (lowHigh >>> 16) + (highLow >>> 16) + Math.floor(middle / 65536)) | 0;
}

/** Signed a * b: the unsigned product corrected by the operands' signs. */
export function multiplySigned(a: number, b: number): void {
  multiplyUnsigned(a, b);
  let high = wide.high;
  if (a < 0) high = (high - b) | 0;
  if (b < 0) high = (high - a) | 0;
  wide.high = high;
}

/**
 * Unsigned (high:low) / divisor, all taken as unsigned 32-bit. False when the divisor is 0
 * or the quotient needs more than 32 bits (#DE); else wide.low = quotient, wide.high =
 * remainder.
 */
export function divideUnsigned(high: number, low: number, divisor: number): boolean {
  high >>>= 0;
  low >>>= 0;
  divisor >>>= 0;
  if (divisor === 0 || high >= divisor) return false;
  if (high === 0) {
    const quotient = Math.floor(low / divisor);
    wide.low = quotient | 0;
    wide.high = (low - quotient * divisor) | 0;
    return true;
  }
  // Two 16-bit long-division steps; each partial dividend is below divisor * 2^16 < 2^48,
  // so the double quotient's floor is exact.
  const upper = high * 65536 + (low >>> 16);
  const quotientUpper = Math.floor(upper / divisor);
  const lower = (upper - quotientUpper * divisor) * 65536 + (low & 0xffff);
  const quotientLower = Math.floor(lower / divisor);
  wide.low = (quotientUpper * 65536 + quotientLower) | 0;
  wide.high = (lower - quotientLower * divisor) | 0;
  return true;
}

/** Signed (high:low) / divisor truncating toward zero; false on #DE. */
export function divideSigned(high: number, low: number, divisor: number): boolean {
  const negativeDividend = high < 0;
  let absHigh = high;
  let absLow = low;
  if (negativeDividend) {
    absLow = -low | 0;
    absHigh = (~high + (absLow === 0 ? 1 : 0)) | 0;
  }
  const negativeDivisor = divisor < 0;
  if (!divideUnsigned(absHigh, absLow, negativeDivisor ? -divisor : divisor)) return false;
  const quotient = wide.low >>> 0;
  const remainder = wide.high >>> 0;
  if (negativeDividend !== negativeDivisor) {
    if (quotient > 0x80000000) return false;
    wide.low = -quotient | 0;
  } else if (quotient > 0x7fffffff) {
    return false;
  }
  wide.high = negativeDividend ? -remainder | 0 : remainder | 0;
  return true;
}
