; Fault program: MOV CR3, r32 raises #GP(0) "if the current privilege level is not 0".
%include "print-before-fault.inc"
fault_here:
  mov cr3, eax
  exit_success
