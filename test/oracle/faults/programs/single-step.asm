; Fault program: POPF sets TF; the instruction after it runs, then the single-step trap (#DB)
; stops the process with eip after that instruction.
%include "print-before-fault.inc"
  pushfd
  or dword [esp], 0x100
  popfd
fault_here:
  inc eax
after_step:
  inc eax
  exit_success
