/* Two kernels the C bench (cpu-bench.c) has little of, for docs/cpu.md's measurements:
 *   bubble ROUNDS: a bubble sort of 600 pseudo-random numbers per round. Its inner loop's
 *     swap is taken in nearly every pass while the array is random and skipped in most
 *     passes later, so the branch statistics a JIT gathers first go stale.
 *   fib ROUNDS: naive recursive Fibonacci of 24 per round, calls and returns throughout.
 * Prints one checksum line. Freestanding, as cpu-bench.c, so it runs unchanged under
 * qemu-i386 and sterna.
 * Build: gcc -m32 -O2 -static -nostdlib -ffreestanding -fno-pic -no-pie
 *        -fno-stack-protector -fno-asynchronous-unwind-tables -o branch-phases.elf
 *        branch-phases.c */

typedef unsigned int u32;

static long sys3(long n, long a, long b, long c) {
  long r;
  __asm__ volatile("int $0x80" : "=a"(r) : "a"(n), "b"(a), "c"(b), "d"(c) : "memory");
  return r;
}

static __attribute__((noreturn)) void exit_with(int status) {
  sys3(1, status, 0, 0);
  for (;;) {
  }
}

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

static int parse_rounds(const char *s) {
  int n = 0;
  while (*s >= '0' && *s <= '9') n = n * 10 + (*s++ - '0');
  return n > 0 ? n : 20;
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
  for (int i = 0; i < 8; i++) {
    u32 d = (sum >> (28 - 4 * i)) & 15;
    line[9 + i] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
  }
  line[17] = '\n';
  sys3(4, 1, (long)line, 18);
  exit_with(0);
}

__asm__(".globl _start\n_start:\n  movl %esp, %eax\n  andl $-16, %esp\n  pushl %eax\n  pushl %eax\n"
        "  call start_c\n");
