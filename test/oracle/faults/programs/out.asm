; Fault program: OUT at CPL 3 with IOPL 0 (and no I/O bitmap) raises #GP(0).
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
  mov al, 0x55
fault_here:
  out 0x80, al
  mov eax, 1
  mov ebx, 0
  int 0x80
