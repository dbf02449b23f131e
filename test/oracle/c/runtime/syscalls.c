/* Linux i386 syscalls by int 0x80 (eax = number; ebx, ecx, edx = arguments), and the process
 * entry `_start`: it aligns the stack, runs main and exits with its status after flushing. */
#include "runtime.h"

static int syscall3(int number, int a, int b, int c) {
  int result;
  __asm__ volatile("int $0x80" : "=a"(result) : "a"(number), "b"(a), "c"(b), "d"(c) : "memory");
  return result;
}

int sys_write(int fd, const void *buffer, size_t length) {
  return syscall3(4, fd, (int)buffer, (int)length);
}

void *sys_brk(void *end) { return (void *)syscall3(45, (int)end, 0, 0); }

void sys_exit(int status) {
  syscall3(1, status, 0, 0);
  for (;;) {
  }
}

void start_main(void) {
  int status = main();
  flush_stdout();
  sys_exit(status);
}

__asm__(".text\n"
        ".globl _start\n"
        "_start:\n"
        "  xorl %ebp, %ebp\n"
        "  andl $-16, %esp\n"
        "  call start_main\n"
        "  hlt\n");
