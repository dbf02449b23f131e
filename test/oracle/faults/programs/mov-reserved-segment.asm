; Fault program: MOV Sreg with ModRM.reg 6 or 7 (no such segment register) raises #UD.
%include "print-before-fault.inc"
fault_here:
  db 0x8c, 0xf0 ; mov ax, <segment register 6>
  exit_success
