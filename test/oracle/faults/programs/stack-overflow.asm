; Fault program: pushing forever exhausts the stack (8 MiB under both qemu-i386 and sterna);
; the PUSH that reaches past the limit faults: #PF (not present, write, user), EIP = the PUSH.
bits 32
section .data
message: db "before the fault", 10
section .text
global _start
_start:
  mov eax, 4
  mov ebx, 1
  mov ecx, message
  mov edx, 17
  int 0x80
fault_here:
  push eax
  jmp fault_here
