; Fault program: CLI at CPL 3 with IOPL 0 raises #GP(0).
; Prints a line, then faults at `fault_here`; nothing after it may run.
%include "print-before-fault.inc"
fault_here:
  cli
  exit_success
