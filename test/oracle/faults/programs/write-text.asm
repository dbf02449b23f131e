; Fault program: a store into the read-only text segment: #PF (present, write, user).
; Prints a line, then faults at `fault_here`; nothing after it may run.
%include "print-before-fault.inc"
fault_here:
  mov dword [_start], 0
  exit_success
