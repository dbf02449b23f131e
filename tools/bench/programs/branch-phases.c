/* Two kernels the C bench (cpu-bench.c) has little of, for docs/cpu.md's measurements:
 *   bubble ROUNDS: a bubble sort of 600 pseudo-random numbers per round. Its inner loop's
 *     swap is taken in nearly every pass while the array is random and skipped in most
 *     passes later, so the branch statistics a JIT gathers first go stale.
 *   fib ROUNDS: naive recursive Fibonacci of 24 per round (gcc -O2 turns much of the
 *     recursion into nested loops, with calls and returns at the outer levels).
 * Prints one checksum line. Freestanding (freestanding.h), as cpu-bench.c.
 * Build: gcc -m32 -O2 -static -nostdlib -ffreestanding -fno-pic -no-pie
 *        -fno-stack-protector -fno-asynchronous-unwind-tables -o branch-phases.elf
 *        branch-phases.c */

#include "freestanding.h"

static u32 fib(u32 n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

#define SORT_N 600
static u32 numbers[SORT_N];
static u32 seed = 1;

static u32 bubble_round(void) {
  for (u32 i = 0; i < SORT_N; i++) {
    seed = seed * 1103515245u + 12345u;
    numbers[i] = seed >> 8;
  }
  for (u32 i = 0; i < SORT_N; i++)
    for (u32 j = 0; j + 1 < SORT_N - i; j++)
      if (numbers[j] > numbers[j + 1]) {
        u32 t = numbers[j];
        numbers[j] = numbers[j + 1];
        numbers[j + 1] = t;
      }
  return numbers[0] + numbers[SORT_N - 1];
}

static __attribute__((noreturn, used)) void start_c(int *stack) {
  int argc = stack[0];
  char **argv = (char **)(stack + 1);
  if (argc < 2 || (argv[1][0] != 'b' && argv[1][0] != 'f')) {
    sys3(4, 2, (long)"usage: branch-phases bubble|fib [rounds]\n", 41);
    exit_with(2);
  }
  int rounds = argc > 2 ? parse_rounds(argv[2]) : 20;
  u32 sum = 0;
  for (int r = 0; r < rounds; r++) sum += argv[1][0] == 'b' ? bubble_round() : fib(24);
  char line[18] = "checksum ";
  format_hex(line + 9, sum);
  line[17] = '\n';
  write_out(line, 18);
  exit_with(0);
}
