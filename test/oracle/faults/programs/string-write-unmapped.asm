; Fault program: REP STOSB running off the end of the last mapped page (the end of .bss) faults
; on the first unmapped byte: #PF (not present, write, user), CR2 = that byte, EIP = the STOSB.
bits 32
section .data
message: db "before the fault", 10
section .bss align=4096
last_page: resb 4096
section .text
global _start
_start:
  mov eax, 4
  mov ebx, 1
  mov ecx, message
  mov edx, 17
  int 0x80
  cld
  mov al, 0x55
  mov edi, last_page + 4096 - 8
  mov ecx, 100
fault_here:
  rep stosb
  mov eax, 1
  mov ebx, 0
  int 0x80
