; ping-pong: the parent spawns a copy of itself (argv[0], with the argument "pong") on this
; node and they exchange ROUNDS messages: the parent prints "ping k" and sends k, the child
; prints "pong k" and sends k back to the sender the kernel stamped. The parent then waits for
; the child and exits with its status. Output: ping 1, pong 1, ... ping 5, pong 5, done.
%include "sterna.inc"

ROUNDS equ 5

section .text
global _start
_start:
    cmp dword [esp], 2              ; argc: 2 means we are the child
    jae pong

ping:
    mov eax, [esp + 4]              ; argv[0]: spawn the same program
    sys_spawn eax, NODE_THIS, pong_argument
    test eax, eax
    js failed
    mov edi, eax                    ; the child's pid
    mov byte [round], '1'
.next:
    mov al, [round]
    mov [ping_line + 5], al
    sys_write 1, ping_line, ping_line_bytes
    sys_send edi, round, 1
    test eax, eax
    jnz failed
    sys_receive reply, 16, edi, 0   ; only from the child
    cmp eax, 1
    jne failed
    mov al, [reply]
    cmp al, [round]
    jne failed
    inc byte [round]
    cmp byte [round], '1' + ROUNDS
    jne .next
    sys_wait edi
    mov edi, eax                    ; the child's status
    sys_write 1, done_line, done_line_bytes
    sys_exit edi

pong:
    sys_receive reply, 16, 0, 0
    cmp eax, 1
    jne failed
    mov edi, edx                    ; the sender, stamped by the kernel
    mov al, [reply]
    mov [pong_line + 5], al
    sys_write 1, pong_line, pong_line_bytes
    sys_send edi, reply, 1
    cmp byte [reply], '0' + ROUNDS
    jne pong
    sys_exit 0

failed:
    sys_write 2, failed_line, failed_line_bytes
    sys_exit 1

section .data
pong_argument: db "pong", 0
ping_line: db "ping ?", 10
ping_line_bytes equ $ - ping_line
pong_line: db "pong ?", 10
pong_line_bytes equ $ - pong_line
done_line: db "ping-pong done", 10
done_line_bytes equ $ - done_line
failed_line: db "ping-pong: unexpected result", 10
failed_line_bytes equ $ - failed_line

section .bss
round: resb 1
reply: resb 16
