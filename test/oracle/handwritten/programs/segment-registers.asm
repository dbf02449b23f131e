; Segment register moves, pushes and pops as a flat Linux process may use them: every
; register read (mov r/m, Sreg into a 32-bit register, which zero-extends, a 16-bit one,
; which keeps the high half, and memory, which stores 16 bits whatever the operand size),
; pushed (32-bit pushes zero-extend, o16 pushes store two bytes) and loaded back with the
; selector it holds (mov Sreg, r/m16 from a register and from memory, pop Sreg), each in a
; loop so that compiled code runs it too. gs is loaded but never read: qemu-i386 starts a
; process with gs = 0x2b where Linux (and sterna) give 0. The values are folded into ESI; the
; program prints it and exits with its low 7 bits.
%include "print-checksum.inc"

section .data
word_slot: dd 0xa5a5a5a5
selectors: dw 0x2b, 0x2b
stack_start: dd 0

section .text
global _start

%macro fold 0
  rol esi, 5
  xor esi, eax
%endmacro

_start:
  mov esi, 0x13579bdf
  mov ebp, 40
  mov [stack_start], esp
again:
  ; Reads into 32-bit registers (zero-extended) and 16-bit ones (high half kept).
  mov eax, -1
  mov eax, cs
  fold
  mov eax, -1
  mov eax, ds
  fold
  mov eax, -1
  mov eax, es
  fold
  mov eax, -1
  mov eax, ss
  fold
  mov eax, -1
  mov eax, fs
  fold
  mov eax, 0x12345678
  mov ax, cs
  fold
  mov eax, 0x9abcdef0
  mov ax, ss
  fold
  ; Stores to memory write 16 bits, with or without o16.
  mov dword [word_slot], 0xa5a5a5a5
  mov [word_slot], ds
  mov eax, [word_slot]
  fold
  mov dword [word_slot], 0x5a5a5a5a
  o16 mov [word_slot], fs
  mov eax, [word_slot]
  fold
  ; Pushes: 32-bit ones zero-extend, o16 ones store two bytes.
  push dword 0xffffffff
  pop eax
  push cs
  pop eax
  fold
  push dword 0xffffffff
  pop eax
  push ss
  pop eax
  fold
  push dword 0xffffffff
  pop eax
  push fs
  pop eax
  fold
  push dword 0xffffffff
  pop eax
  push es
  pop eax
  fold
  push dword 0xeeeeeeee
  pop eax
  sub esp, 4
  o16 push ds
  o16 push es
  pop eax
  fold
  add esp, 4
  mov eax, esp
  sub eax, [stack_start]
  fold
  ; Loads of the selector each register holds: from registers, memory and the stack.
  mov eax, 0xffff002b
  mov ds, ax
  mov es, eax
  mov ss, ax
  xor ecx, ecx
  mov fs, cx
  mov gs, ecx
  mov ds, [selectors]
  mov es, [selectors + 2]
  mov ss, [selectors]
  push ds
  pop es
  push ss
  pop ds
  push es
  pop ss
  push fs
  pop gs
  push fs
  pop fs
  o16 push ds
  o16 pop ds
  o16 push fs
  o16 pop fs
  mov eax, esp
  sub eax, [stack_start]
  fold
  mov eax, ds
  fold
  dec ebp
  jnz again
  print_checksum_and_exit
