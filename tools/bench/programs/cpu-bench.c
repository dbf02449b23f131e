/* A CPU-bound guest program for tools/bench/cpu.ts: a prime sieve, table-driven CRC-32,
 * quicksort of pseudo-random numbers, an integer matrix product and a byte-string
 * workload, repeated `rounds` times (argv[1], default 20). Prints one checksum line so a
 * wrong result is visible. Freestanding (freestanding.h), so it runs unchanged under
 * qemu-i386 and sterna.
 * Build: gcc -m32 -O2 -static -nostdlib -ffreestanding -fno-pic -no-pie
 *        -fno-stack-protector -o cpu-bench.elf cpu-bench.c */

#include "freestanding.h"

#define SIEVE_N 200000
static unsigned char composite[SIEVE_N];

static u32 sieve(void) {
  u32 count = 0;
  for (u32 i = 0; i < SIEVE_N; i++) composite[i] = 0;
  for (u32 i = 2; i < SIEVE_N; i++) {
    if (composite[i]) continue;
    count++;
    for (u32 j = i * 2; j < SIEVE_N; j += i) composite[j] = 1;
  }
  return count;
}

static u32 crc_table[256];
static unsigned char buffer[65536];

static void crc_init(void) {
  for (u32 n = 0; n < 256; n++) {
    u32 c = n;
    for (int k = 0; k < 8; k++) c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
    crc_table[n] = c;
  }
}

static u32 crc32(const unsigned char *p, u32 len) {
  u32 c = 0xffffffffu;
  for (u32 i = 0; i < len; i++) c = crc_table[(c ^ p[i]) & 0xff] ^ (c >> 8);
  return c ^ 0xffffffffu;
}

#define SORT_N 20000
static int numbers[SORT_N];
static u32 seed = 12345;

static u32 next_random(void) {
  seed = seed * 1103515245u + 12345u;
  return seed >> 8;
}

static void quicksort(int *a, int lo, int hi) {
  while (lo < hi) {
    int pivot = a[(lo + hi) / 2];
    int i = lo, j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (j - lo < hi - i) {
      quicksort(a, lo, j);
      lo = i;
    } else {
      quicksort(a, i, hi);
      hi = j;
    }
  }
}

static u32 sort_round(void) {
  for (int i = 0; i < SORT_N; i++) numbers[i] = (int)(next_random() % 1000000u) - 500000;
  quicksort(numbers, 0, SORT_N - 1);
  u32 h = 0;
  for (int i = 0; i < SORT_N; i++) h = h * 31u + (u32)numbers[i];
  return h;
}

#define M 48
static int ma[M][M], mb[M][M], mc[M][M];

static u32 matrix_round(u32 salt) {
  for (int i = 0; i < M; i++)
    for (int j = 0; j < M; j++) {
      ma[i][j] = (int)((i * 7 + j * 3 + salt) % 17) - 8;
      mb[i][j] = (int)((i * 5 + j * 11 + salt) % 13) - 6;
    }
  for (int i = 0; i < M; i++)
    for (int j = 0; j < M; j++) {
      int s = 0;
      for (int k = 0; k < M; k++) s += ma[i][k] * mb[k][j];
      mc[i][j] = s;
    }
  u32 h = 0;
  for (int i = 0; i < M; i++)
    for (int j = 0; j < M; j++) h = (h ^ (u32)mc[i][j]) * 16777619u;
  return h;
}

static char text[4096];

static u32 string_round(u32 salt) {
  for (int i = 0; i < 4096; i++) text[i] = (char)('a' + (i * 7 + salt) % 26);
  u32 words = 0, vowels = 0;
  for (int i = 0; i < 4096; i++) {
    char c = text[i];
    if (c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u') vowels++;
    if (c == 'z') words++;
  }
  return words * 1000u + vowels;
}

static __attribute__((noreturn, used)) void start_c(int *stack) {
  int argc = stack[0];
  char **argv = (char **)(stack + 1);
  int rounds = argc > 1 ? parse_rounds(argv[1]) : 20;
  u32 sum = 0;
  crc_init();
  for (u32 i = 0; i < sizeof buffer; i++) buffer[i] = (unsigned char)next_random();
  for (int r = 0; r < rounds; r++) {
    sum += sieve();
    sum ^= crc32(buffer, sizeof buffer);
    sum += sort_round();
    sum ^= matrix_round((u32)r);
    sum += string_round((u32)r);
  }
  char line[32] = "checksum ";
  int n = 9 + format_hex(line + 9, sum);
  line[n++] = '\n';
  write_out(line, n);
  exit_with(0);
}
