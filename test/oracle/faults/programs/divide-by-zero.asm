; Fault program: DIV by zero raises #DE.
; Prints a line, then faults at `fault_here`; nothing after it may run.
%include "print-before-fault.inc"
  mov eax, 10
  xor edx, edx
  xor ecx, ecx
fault_here:
  div ecx
  exit_success
