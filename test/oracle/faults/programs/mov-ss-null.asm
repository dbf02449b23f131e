; Fault program: MOV SS, r/m16 raises #GP(0) "if attempt is made to load SS register with NULL segment selector".
%include "print-before-fault.inc"
  xor eax, eax
fault_here:
  mov ss, ax
  exit_success
