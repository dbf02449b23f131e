; Fault program: REP STOSB running off the end of the last mapped page (the end of .bss) faults
; on the first unmapped byte: #PF (not present, write, user), CR2 = that byte, EIP = the STOSB.
section .bss align=4096
last_page: resb 4096
%include "print-before-fault.inc"
  cld
  mov al, 0x55
  mov edi, last_page + 4096 - 8
  mov ecx, 100
fault_here:
  rep stosb
  exit_success
