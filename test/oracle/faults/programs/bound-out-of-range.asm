; Fault program: BOUND with the index above the upper bound raises #BR.
%include "print-before-fault.inc"
  mov eax, 11
fault_here:
  bound eax, [bounds]
  exit_success
section .data
bounds: dd 0, 10
