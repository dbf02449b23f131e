; Fault program: POP DS raises #GP(selector) for a selector outside the flat model's descriptors (esp unchanged).
%include "print-before-fault.inc"
  push dword 0x7b
fault_here:
  pop ds
  exit_success
