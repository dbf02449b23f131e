; Fault program: a load from 0xC0001000, above user space and unmapped: #PF (not present, read, user).
; Prints a line, then faults at `fault_here`; nothing after it may run.
%include "print-before-fault.inc"
fault_here:
  mov eax, [0xc0001000]
  exit_success
