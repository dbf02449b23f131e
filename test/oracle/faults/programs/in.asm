; Fault program: IN at CPL 3 with IOPL 0 (and no I/O bitmap) raises #GP(0).
; Prints a line, then faults at `fault_here`; nothing after it may run.
%include "print-before-fault.inc"
  mov edx, 0x60
fault_here:
  in al, dx
  exit_success
