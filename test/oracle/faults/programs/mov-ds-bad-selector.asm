; Fault program: MOV DS, r/m16 raises #GP(selector) for a selector outside the flat model's descriptors.
%include "print-before-fault.inc"
  mov ax, 0x1234
fault_here:
  mov ds, ax
  exit_success
