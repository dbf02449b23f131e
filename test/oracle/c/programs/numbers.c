/* Printing numbers: decimal of 32/64-bit values at their limits, hex with zero padding, padded
 * columns, and a small table of powers, squares and cubes. Exits 1. */
#include "../runtime/runtime.h"

int main(void) {
  static const i32 signed_values[] = {0, 1, -1, 9, 10, 99, 100, -100, 2147483647, -2147483647 - 1,
                                      123456789, -987654321};
  for (int i = 0; i < (int)(sizeof signed_values / sizeof signed_values[0]); i++) {
    put_i32(signed_values[i]);
    put_char(' ');
    put_u32((u32)signed_values[i]);
    put_char(' ');
    put_hex((u32)signed_values[i], 8);
    put_char('\n');
  }
  static const i64 wide[] = {0, -1, 4294967296ll, -4294967296ll, 9223372036854775807ll,
                             -9223372036854775807ll - 1, 1000000000000000000ll};
  for (int i = 0; i < (int)(sizeof wide / sizeof wide[0]); i++) {
    put_i64(wide[i]);
    put_char(' ');
    put_u64((u64)wide[i]);
    put_char(' ');
    put_hex((u64)wide[i], 1);
    put_char('\n');
  }
  for (i32 n = -3; n <= 12; n++) {
    put_padded(n, 4);
    put_padded(n * n, 6);
    put_padded(n * n * n, 8);
    put_padded(1 << (n & 31), 12);
    put_char('\n');
  }
  u32 power = 1;
  for (int n = 0; n < 32; n += 3) {
    put_str("3^");
    put_i32(n);
    put_str(" mod 2^32 = ");
    put_u32(power);
    put_char('\n');
    power *= 27;
  }
  return 1;
}
