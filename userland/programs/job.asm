; job: a CPU-bound job of the load-balancing bench (docs/load-balancing.md). Its argument is a
; decimal iteration count (1 to 4294967295); it runs that many steps of a xorshift32 generator
; (no syscalls, so only the timer tick takes the CPU away) and exits 0. A missing, empty,
; non-decimal or too large argument prints one line on stderr and exits 2.
%include "sterna.inc"

section .text
global _start
_start:
    cmp dword [esp], 2
    jb bad_argument
    mov esi, [esp + 8]              ; argv[1]
    xor ecx, ecx                    ; the count so far
    cmp byte [esi], 0
    je bad_argument
.digit:
    movzx ebx, byte [esi]
    test ebx, ebx
    jz .parsed
    sub ebx, '0'
    cmp ebx, 9
    ja bad_argument
    mov eax, ecx
    mov edx, 10
    mul edx                         ; edx:eax = count * 10, CF when it passes 32 bits
    jc bad_argument
    add eax, ebx
    jc bad_argument
    mov ecx, eax
    inc esi
    jmp .digit
.parsed:
    jecxz bad_argument
    mov eax, 2463534242             ; Marsaglia's xorshift32 seed
.step:
    mov edx, eax
    shl edx, 13
    xor eax, edx
    mov edx, eax
    shr edx, 17
    xor eax, edx
    mov edx, eax
    shl edx, 5
    xor eax, edx
    dec ecx
    jnz .step
    sys_exit 0

bad_argument:
    sys_write 2, usage_line, usage_line_bytes
    sys_exit 2

section .data
usage_line: db "job: expected one argument, an iteration count from 1 to 4294967295", 10
usage_line_bytes equ $ - usage_line
