; Page-crossing accesses: an instruction whose bytes straddle two code pages, and loads, stores,
; read-modify-writes, XCHG, string moves and stack pushes whose bytes straddle two data pages.
; Both pages of each pair are mapped; a CPU or MMU that only translates the first page of an
; access reads or writes the wrong bytes. Prints a checksum in hex, exits with its low 7 bits.
bits 32
section .data
digits: db "0123456789abcdef"
line: db "checksum ........", 10
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
  ; Print ESI as 8 hex digits.
  mov edi, line + 9
  mov ecx, 8
hex_digit:
  rol esi, 4
  mov eax, esi
  and eax, 15
  mov al, [digits + eax]
  mov [edi], al
  inc edi
  dec ecx
  jnz hex_digit
  mov eax, 4
  mov ebx, 1
  mov ecx, line
  mov edx, 18
  int 0x80
  mov eax, 1
  mov ebx, esi
  and ebx, 0x7f
  int 0x80
  ; Pad so that the 5-byte MOV below starts 2 bytes before a code page boundary.
  times (4096 - 2 - ($ - $$) % 4096) nop
straddling:
  mov eax, 0x5eed1234
  xor eax, ebp
  ret
