; Fault program: OUT at CPL 3 with IOPL 0 (and no I/O bitmap) raises #GP(0).
; Prints a line, then faults at `fault_here`; nothing after it may run.
%include "print-before-fault.inc"
  mov al, 0x55
fault_here:
  out 0x80, al
  exit_success
