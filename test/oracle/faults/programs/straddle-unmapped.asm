; Fault program: a dword load whose first two bytes are on the last mapped page (the end of
; .bss) and whose last two are on the unmapped page after it: #PF (not present, read, user),
; EIP = the load; nothing of it may complete.
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
fault_here:
  mov eax, [last_page + 4094]
  mov eax, 1
  mov ebx, 0
  int 0x80
