; Fault program: HLT at CPL 3 raises #GP(0).
; Prints a line, then faults at `fault_here`; nothing after it may run.
%include "print-before-fault.inc"
fault_here:
  hlt
  exit_success
