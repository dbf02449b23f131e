; Fault program: a store to an unmapped page: #PF (not present, write, user).
; Prints a line, then faults at `fault_here`; nothing after it may run.
%include "print-before-fault.inc"
fault_here:
  mov dword [0x2000], 1
  exit_success
