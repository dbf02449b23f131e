/* The four memory functions gcc may call even in freestanding code (struct copies, zeroing).
 * Loop-to-call recognition is off here, or -O2 would turn memcpy's loop into a call to itself. */
#include "runtime.h"

#define NO_LIBCALLS __attribute__((optimize("no-tree-loop-distribute-patterns")))

NO_LIBCALLS void *memcpy(void *dest, const void *src, size_t n) {
  u8 *d = dest;
  const u8 *s = src;
  while (n--) *d++ = *s++;
  return dest;
}

NO_LIBCALLS void *memmove(void *dest, const void *src, size_t n) {
  u8 *d = dest;
  const u8 *s = src;
  if (d < s) {
    while (n--) *d++ = *s++;
  } else {
    d += n;
    s += n;
    while (n--) *--d = *--s;
  }
  return dest;
}

NO_LIBCALLS void *memset(void *dest, int value, size_t n) {
  u8 *d = dest;
  while (n--) *d++ = (u8)value;
  return dest;
}

NO_LIBCALLS int memcmp(const void *a, const void *b, size_t n) {
  const u8 *x = a;
  const u8 *y = b;
  for (; n; n--, x++, y++) {
    if (*x != *y) return *x < *y ? -1 : 1;
  }
  return 0;
}
