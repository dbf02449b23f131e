/* What the freestanding guest programs here share: Linux i386 system calls through int 0x80,
 * output, exit, argument parsing and a _start that hands the initial stack to
 * start_c(int *stack), which the program defines. No libc, so a program runs unchanged
 * under qemu-i386 and sterna. */

typedef unsigned int u32;

static long sys3(long n, long a, long b, long c) {
  long r;
  __asm__ volatile("int $0x80" : "=a"(r) : "a"(n), "b"(a), "c"(b), "d"(c) : "memory");
  return r;
}

static void write_out(const char *s, int n) { sys3(4, 1, (long)s, n); }

static __attribute__((noreturn)) void exit_with(int status) {
  sys3(1, status, 0, 0);
  for (;;) {
  }
}

/** Writes v as 8 hex digits at out; returns 8. */
static int format_hex(char *out, u32 v) {
  for (int i = 7; i >= 0; i--) {
    out[i] = "0123456789abcdef"[v & 15];
    v >>= 4;
  }
  return 8;
}

/** A decimal count of rounds; 20 for anything else. */
static int parse_rounds(const char *s) {
  int n = 0;
  while (*s >= '0' && *s <= '9') n = n * 10 + (*s++ - '0');
  return n > 0 ? n : 20;
}

static __attribute__((noreturn, used)) void start_c(int *stack);

__asm__(".globl _start\n_start:\n  movl %esp, %eax\n  andl $-16, %esp\n  pushl %eax\n  pushl %eax\n"
        "  call start_c\n");
