; cluster-demo-worker: receives a round count from whoever sends first (its parent), spends
; that many rounds of integer work (a checksum of i * i), and answers the sender with its own
; node number and the checksum, then exits 0. Spawned by cluster-demo.asm on many nodes.
%include "sterna.inc"

section .text
global _start
_start:
    sys_receive rounds, 4, 0, 0
    cmp eax, 4
    jne failed
    mov [parent], edx
    mov ecx, [rounds]
    xor eax, eax                    ; checksum
    xor ebx, ebx                    ; i
.round:
    mov edx, ebx
    imul edx, ebx
    add eax, edx
    rol eax, 3
    inc ebx
    cmp ebx, ecx
    jb .round
    mov [answer + 4], eax
    sys SYS_NODEINFO, 0
    mov [answer], eax
    sys_send [parent], answer, 8
    test eax, eax
    jnz failed
    sys_exit 0

failed:
    sys_write 2, failed_line, failed_line_bytes
    sys_exit 1

section .data
failed_line: db "cluster-demo-worker: unexpected result", 10
failed_line_bytes equ $ - failed_line

section .bss
rounds: resd 1
parent: resd 1
answer: resd 2
