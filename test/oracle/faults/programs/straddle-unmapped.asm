; Fault program: a dword load whose first two bytes are on the last mapped page (the end of
; .bss) and whose last two are on the unmapped page after it: #PF (not present, read, user),
; EIP = the load; nothing of it may complete.
section .bss align=4096
last_page: resb 4096
%include "print-before-fault.inc"
fault_here:
  mov eax, [last_page + 4094]
  exit_success
