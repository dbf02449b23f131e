; The i386 integer instructions compilers rarely emit: daa das aaa aas aam aad over every al
; and every CF/AF input (ah varied too), xlat over a table, loop/loope/loopne/jecxz, lahf/sahf,
; bound in range, and cpuid/rdtsc, which must run (their values differ between sterna and a
; real CPU, so only that they ran is folded in). Results and the flags the manual defines for
; each instruction are folded into ESI; the program prints it and exits with its low 7 bits.
%include "print-checksum.inc"

section .data
table: times 256 db 0
bounds: dd -5, 300

section .text
global _start

; Folds eax into the checksum.
%macro fold 0
  rol esi, 5
  xor esi, eax
%endmacro

; Runs `%1` for ebp = 0 .. 1023: al = ebp & 255, CF = bit 8, AF = bit 9 of ebp, some ah bits
; (through sahf), then folds ax and the flags in mask %2.
%macro adjust_sweep 2
  xor ebp, ebp
%%next:
  mov eax, ebp
  shr eax, 8
  and eax, 3
  mov ecx, eax
  and ecx, 1            ; CF
  shr eax, 1
  shl eax, 4            ; AF
  or eax, ecx
  shl eax, 8
  mov ecx, ebp
  and ecx, 0xff
  or eax, ecx           ; al
  mov ecx, ebp
  shr ecx, 2
  and ecx, 0x30
  xor ah, cl            ; some ah variety without touching bits 0 and 4
  xchg al, ah
  sahf
  xchg al, ah
  %1
  lahf
  and ah, %2
  fold
  inc ebp
  cmp ebp, 1024
  jb %%next
%endmacro

_start:
  xor esi, esi
  adjust_sweep daa, 0xd5      ; SF ZF AF PF CF
  adjust_sweep das, 0xd5
  adjust_sweep aaa, 0x11      ; AF CF
  adjust_sweep aas, 0x11
  adjust_sweep {aam 10}, 0xc4 ; SF ZF PF
  adjust_sweep {aam 7}, 0xc4
  adjust_sweep {aad 10}, 0xc4
  adjust_sweep {aad 3}, 0xc4

  ; xlat: table[i] = i * 7 + 3, looked up for every al.
  xor ecx, ecx
fill:
  lea eax, [ecx * 8]
  sub eax, ecx
  add eax, 3
  mov [table + ecx], al
  inc ecx
  cmp ecx, 256
  jb fill
  mov ebx, table
  xor ecx, ecx
lookup:
  mov eax, ecx
  imul eax, eax, 0x01010101
  xlatb
  fold
  inc ecx
  cmp ecx, 256
  jb lookup

  ; loop counts ecx down; loope/loopne also stop on ZF.
  mov ecx, 100
  xor eax, eax
count_down:
  add eax, ecx
  loop count_down
  fold
  mov ecx, 50
  xor edx, edx
while_equal:
  inc edx
  cmp edx, 30
  loopne while_equal
  mov eax, ecx
  fold
  mov eax, edx
  fold
  mov ecx, 40
  xor edx, edx
while_zero:
  inc edx
  test edx, 7
  loope while_zero
  mov eax, ecx
  fold
  xor ecx, ecx
  mov eax, 0x77
  jecxz skipped
  mov eax, 0x99
skipped:
  fold

  ; bound in range does nothing.
  mov eax, 299
  bound eax, [bounds]
  mov eax, -5
  bound eax, [bounds]
  fold

  ; cpuid and rdtsc run; their values are not folded.
  xor eax, eax
  cpuid
  rdtsc
  mov eax, 1
  fold

  print_checksum_and_exit
