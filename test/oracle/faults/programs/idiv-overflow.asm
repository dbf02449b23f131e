; Fault program: IDIV of -2^31 by -1 overflows the quotient: #DE.
; Prints a line, then faults at `fault_here`; nothing after it may run.
%include "print-before-fault.inc"
  mov eax, 0x80000000
  cdq
  mov ecx, -1
fault_here:
  idiv ecx
  exit_success
