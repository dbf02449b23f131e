; Fault program: MOV r32, CR0 raises #GP(0) "if the current privilege level is not 0".
%include "print-before-fault.inc"
fault_here:
  mov eax, cr0
  exit_success
