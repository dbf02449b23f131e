; Self-modifying code: the program patches immediates and opcodes of instructions it has already
; run, the instruction right after the store, and a routine it rebuilds byte by byte and calls,
; all in a writable and executable section. A CPU that caches decoded instructions must see
; every store. Prints a checksum in hex and exits with its low 7 bits.
%include "print-checksum.inc"
section .smc progbits alloc exec write align=16
global _start
_start:
  xor esi, esi
  mov ecx, 300
loop_top:
  ; Patch the imm32 of an instruction run on every earlier iteration.
  mov eax, ecx
  imul eax, eax, 0x9e3779b1
  mov [patch_imm + 1], eax
patch_imm:
  mov edx, 0
  add esi, edx
  rol esi, 5
  ; Flip an opcode between ADD (01) and XOR (31) on alternate iterations.
  mov byte [patch_op], 0x01
  test ecx, 1
  jz patched
  mov byte [patch_op], 0x31
patched:
patch_op:
  add esi, ecx
  ; Patch the instruction that follows the store directly (its imm8 at +2).
  mov byte [next_insn + 2], cl
next_insn:
  add esi, 0x11
  ; Rebuild a routine `mov eax, imm32 ; xor eax, esi ; ret` and call it.
  mov byte [routine], 0xb8
  mov [routine + 1], ecx
  mov word [routine + 5], 0xf031
  mov byte [routine + 7], 0xc3
  call routine
  add esi, eax
  dec ecx
  jnz loop_top
  print_checksum_and_exit
routine:
  times 16 db 0xcc
