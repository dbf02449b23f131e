; Fault program: MOV r32, DR7 raises #GP(0) "if the current privilege level is not 0".
%include "print-before-fault.inc"
fault_here:
  mov eax, dr7
  exit_success
