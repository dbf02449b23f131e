; Fault program: IDIV of -2^31 by -1 overflows the quotient: #DE.
; Prints a line, then faults at `fault_here`; nothing after it may run.
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
  mov eax, 0x80000000
  cdq
  mov ecx, -1
fault_here:
  idiv ecx
  mov eax, 1
  mov ebx, 0
  int 0x80
