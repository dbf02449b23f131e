; Fault program: a load from an unmapped page (the null page): #PF (not present, read, user).
; Prints a line, then faults at `fault_here`; nothing after it may run.
%include "print-before-fault.inc"
fault_here:
  mov eax, [0x10]
  exit_success
