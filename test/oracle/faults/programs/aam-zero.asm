; Fault program: AAM with a zero base raises #DE ("if an immediate value of 0 is used").
%include "print-before-fault.inc"
  mov eax, 123
fault_here:
  aam 0
  exit_success
