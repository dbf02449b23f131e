; cpu-worker: a CPU-bound process. Runs a xorshift32 generator for ITERATIONS steps (about
; 4 instructions a step, no syscalls, so only the timer tick can take the CPU away), then
; prints the final value in hex and exits 0. With the argument "forever" it never stops.
%include "sterna.inc"

ITERATIONS equ 2000000

section .text
global _start
_start:
    xor ebp, ebp                    ; 0: count down; 1: forever
    cmp dword [esp], 2
    jb .start
    mov ebp, 1
.start:
    mov eax, 2463534242             ; Marsaglia's xorshift32 seed
    mov ecx, ITERATIONS
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
    test ebp, ebp
    jnz .step
    dec ecx
    jnz .step
    ; eight hex digits of eax into the line
    mov edi, value_line + 21
    mov ecx, 8
.digit:
    mov edx, eax
    and edx, 15
    mov dl, [hex_digits + edx]
    mov [edi], dl
    dec edi
    shr eax, 4
    dec ecx
    jnz .digit
    sys_write 1, value_line, value_line_bytes
    sys_exit 0

section .data
hex_digits: db "0123456789abcdef"
value_line: db "cpu-worker: 0x????????", 10
value_line_bytes equ $ - value_line
