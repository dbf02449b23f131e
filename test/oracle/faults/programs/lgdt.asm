; Fault program: LGDT raises #GP(0) "if the current privilege level is not 0".
%include "print-before-fault.inc"
fault_here:
  lgdt [table_image]
  exit_success
section .data
table_image: dw 0
  dd 0
