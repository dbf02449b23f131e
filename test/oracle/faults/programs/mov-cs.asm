; Fault program: MOV to CS raises #UD ("if an attempt is made to load the CS register"); NASM refuses to assemble it.
%include "print-before-fault.inc"
  mov ax, 0x23
fault_here:
  db 0x8e, 0xc8 ; mov cs, ax
  exit_success
