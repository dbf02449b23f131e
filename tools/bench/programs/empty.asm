; The empty program: exits with status 0 at once. The CPU bench runs it to measure start-up
; (of qemu-i386, and of `sterna exec`) apart from the workloads.
bits 32
section .text
global _start
_start:
  mov eax, 1
  xor ebx, ebx
  int 0x80
