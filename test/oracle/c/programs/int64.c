/* 64-bit integer arithmetic as gcc -m32 compiles it: add/sub with carry, 32x32->64 and 64x64
 * multiplies, variable shifts (shld/shrd), comparisons, and signed/unsigned division and modulo
 * through libgcc (__udivdi3, __divdi3, __umoddi3, __moddi3). */
#include "../runtime/runtime.h"

/* Keeps gcc from folding the arithmetic at compile time. */
static volatile u64 sink;

static u64 opaque(u64 value) {
  sink = value;
  return sink;
}

static u64 gcd(u64 a, u64 b) {
  while (b != 0) {
    u64 t = a % b;
    a = b;
    b = t;
  }
  return a;
}

static u64 isqrt(u64 n) {
  u64 low = 0, high = 0xffffffffull;
  while (low < high) {
    u64 mid = low + (high - low + 1) / 2;
    if (mid * mid <= n) low = mid;
    else high = mid - 1;
  }
  return low;
}

static u64 power_mod(u64 base, u64 exponent, u64 modulus) {
  u64 result = 1;
  base %= modulus;
  while (exponent) {
    if (exponent & 1) result = result * base % modulus;
    base = base * base % modulus;
    exponent >>= 1;
  }
  return result;
}

int main(void) {
  static const i64 dividends[] = {0, 1, -1, 7, -7, 1000000000000ll, -999999999999ll,
                                  0x7fffffffffffffffll, (i64)0x8000000000000000ull, 0x123456789abcdefll};
  static const i64 divisors[] = {1, -1, 3, -3, 10, 4294967296ll, -4294967297ll, 0x7fffffffll, 12345678901ll};
  u64 mix = 0;
  for (int i = 0; i < (int)(sizeof dividends / sizeof dividends[0]); i++) {
    for (int j = 0; j < (int)(sizeof divisors / sizeof divisors[0]); j++) {
      i64 a = (i64)opaque((u64)dividends[i]);
      i64 b = (i64)opaque((u64)divisors[j]);
      if (a == (i64)0x8000000000000000ull && b == -1) continue; /* overflow: undefined in C */
      i64 q = a / b, r = a % b;
      u64 uq = (u64)a / (u64)b, ur = (u64)a % (u64)b;
      if (j == 2 || j == 5 || j == 6) {
        put_i64(a);
        put_str(" / ");
        put_i64(b);
        put_str(" = ");
        put_i64(q);
        put_str(" rem ");
        put_i64(r);
        put_str("; unsigned ");
        put_u64(uq);
        put_str(" rem ");
        put_u64(ur);
        put_char('\n');
      }
      if (q * b + r != a) put_str("signed identity broken\n");
      if (uq * (u64)b + ur != (u64)a) put_str("unsigned identity broken\n");
      mix = mix * 0x100000001b3ull ^ (u64)q ^ (ur << 7);
    }
  }
  put_str("mix ");
  put_hex(mix, 16);
  put_char('\n');

  u64 x = opaque(0x0123456789abcdefull);
  for (int shift = 0; shift < 64; shift += 7) {
    put_str("shift ");
    put_i32(shift);
    put_str(": ");
    put_hex(x << shift, 16);
    put_char(' ');
    put_hex(x >> shift, 16);
    put_char(' ');
    put_hex((u64)((i64)~x >> shift), 16);
    put_char('\n');
  }
  u32 p = (u32)opaque(0xfffffffbu), s = (u32)opaque(0xfffffff1u);
  put_str("widening multiply ");
  put_hex((u64)p * s, 16);
  put_str(" signed ");
  put_i64((i64)(i32)p * (i32)s);
  put_char('\n');
  put_line("gcd", (i64)gcd(opaque(1071ull * 1000000007ull), opaque(462ull * 1000000007ull)));
  put_line("isqrt", (i64)isqrt(opaque(0xfffffffe00000001ull)));
  put_line("power_mod", (i64)power_mod(opaque(3), opaque(1000000), opaque(4294967291ull)));
  i64 small = (i64)opaque((u64)-5), big = (i64)opaque(5);
  put_line("compare", (small < big) + 2 * ((u64)small < (u64)big) + 4 * (small == big));
  return 0;
}
