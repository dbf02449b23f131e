; Fault program: pushing forever exhausts the stack (8 MiB under both qemu-i386 and sterna);
; the PUSH that reaches past the limit faults: #PF (not present, write, user), EIP = the PUSH.
%include "print-before-fault.inc"
fault_here:
  push eax
  jmp fault_here
