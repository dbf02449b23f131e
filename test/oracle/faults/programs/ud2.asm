; Fault program: UD2 raises #UD.
; Prints a line, then faults at `fault_here`; nothing after it may run.
%include "print-before-fault.inc"
fault_here:
  ud2
  exit_success
