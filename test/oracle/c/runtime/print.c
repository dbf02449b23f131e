/* Buffered stdout and number formatting (decimal, hex, 64-bit: the 64-bit paths divide with
 * libgcc's __udivdi3/__umoddi3). */
#include "runtime.h"

static char out_buffer[512];
static size_t out_used;

void flush_stdout(void) {
  size_t done = 0;
  while (done < out_used) {
    int written = sys_write(1, out_buffer + done, out_used - done);
    if (written <= 0) break;
    done += (size_t)written;
  }
  out_used = 0;
}

void put_char(char c) {
  if (out_used == sizeof out_buffer) flush_stdout();
  out_buffer[out_used++] = c;
}

void put_str(const char *text) {
  while (*text) put_char(*text++);
}

void put_u64(u64 value) {
  char digits[20];
  int count = 0;
  do {
    digits[count++] = (char)('0' + value % 10);
    value /= 10;
  } while (value != 0);
  while (count > 0) put_char(digits[--count]);
}

void put_i64(i64 value) {
  if (value < 0) {
    put_char('-');
    put_u64(0 - (u64)value);
  } else {
    put_u64((u64)value);
  }
}

void put_u32(u32 value) {
  char digits[10];
  int count = 0;
  do {
    digits[count++] = (char)('0' + value % 10);
    value /= 10;
  } while (value != 0);
  while (count > 0) put_char(digits[--count]);
}

void put_i32(i32 value) {
  if (value < 0) {
    put_char('-');
    put_u32(0u - (u32)value);
  } else {
    put_u32((u32)value);
  }
}

void put_hex(u64 value, int digits) {
  static const char hex_digits[] = "0123456789abcdef";
  char text[16];
  int count = 0;
  do {
    text[count++] = hex_digits[value & 15];
    value >>= 4;
  } while (value != 0);
  while (count < digits && count < 16) text[count++] = '0';
  while (count > 0) put_char(text[--count]);
}

void put_padded(i32 value, int width) {
  char text[12];
  int count = 0;
  u32 magnitude = value < 0 ? 0u - (u32)value : (u32)value;
  do {
    text[count++] = (char)('0' + magnitude % 10);
    magnitude /= 10;
  } while (magnitude != 0);
  if (value < 0) text[count++] = '-';
  for (int pad = count; pad < width; pad++) put_char(' ');
  while (count > 0) put_char(text[--count]);
}

void put_line(const char *label, i64 value) {
  put_str(label);
  put_str(": ");
  put_i64(value);
  put_char('\n');
}
