; Page-crossing accesses: an instruction whose bytes straddle two code pages, and loads, stores,
; read-modify-writes, XCHG, string moves and stack pushes whose bytes straddle two data pages.
; Both pages of each pair are mapped; a CPU or MMU that only translates the first page of an
; access reads or writes the wrong bytes. Prints a checksum in hex, exits with its low 7 bits.
%include "print-checksum.inc"
section .bss align=4096
pages: resb 3 * 4096
section .text
global _start
_start:
  xor esi, esi
  mov ebp, 40
round:
  ; Stores and loads across the boundary between pages[0] and pages[1].
  mov eax, ebp
  imul eax, eax, 0x01000193
  mov [pages + 4094], eax
  mov [pages + 4096 + 4093], ax
  add esi, [pages + 4094]
  movzx ebx, word [pages + 4095]
  add esi, ebx
  add dword [pages + 4093], 0x12345
  xor esi, [pages + 4093]
  xchg [pages + 4095], esi
  rol esi, 7
  ; Copy 64 bytes that start 30 bytes before the boundary into a region across the next one.
  cld
  mov ecx, 16
  mov edx, esi
  mov esi, pages + 4096 - 30
  mov edi, pages + 2 * 4096 - 18
  rep movsd
  mov esi, edx
  add esi, [pages + 2 * 4096 - 2]
  ; Pushes across a page boundary: point ESP just past a boundary, misaligned.
  mov edx, esp
  mov esp, pages + 2 * 4096 + 2
  push esi
  push ebp
  pop eax
  pop ebx
  mov esp, edx
  add esi, eax
  xor esi, ebx
  xor esi, [pages + 2 * 4096 - 2]
  call straddling
  add esi, eax
  dec ebp
  jnz round
  print_checksum_and_exit
  ; Pad so that the 5-byte MOV below starts 2 bytes before a code page boundary.
  times (4096 - 2 - ($ - $$) % 4096) nop
straddling:
  mov eax, 0x5eed1234
  xor eax, ebp
  ret
