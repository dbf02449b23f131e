; Fault program: a jump to an unmapped address: #PF on the instruction fetch at the target.
; Prints a line, then faults at `fault_here`; nothing after it may run.
%include "print-before-fault.inc"
  mov eax, 0x1000
fault_here:
  jmp eax
  exit_success
