; The process `sterna bench migration` moves (tools/bench/migration.ts): BYTES of heap, every
; page written once; then rounds 1 ms apart that rewrite a hot set of 16 pages, until it finds
; itself on another node (and, with a partner, has received every message); 50 rounds more,
; then it reads every page once and exits 0. With PARTNER_MESSAGES > 0 it first spawns itself
; on the last node as its partner, which sends it that many 4-byte messages, one a millisecond.
; EXPECT_MOVE 0 is the run without migration the partner's delay is measured against.
%include "sterna.inc"

%ifndef BYTES
%define BYTES 262144
%endif
%ifndef PARTNER_MESSAGES
%define PARTNER_MESSAGES 0
%endif
%ifndef EXPECT_MOVE
%define EXPECT_MOVE 1
%endif
HOT_PAGES     equ 16
AFTER_ROUNDS  equ 50
ROUNDS_MAX    equ 1000000

section .text
global _start
_start:
    cmp dword [esp], 2
    jae partner
    sys_nodeinfo 0
    mov [start_node], eax
    sys_brk 0
    mov [heap], eax
    lea ebx, [eax + BYTES]
    sys_brk ebx
    mov edi, [heap]
    mov ecx, BYTES / 4096
.touch:
    mov [edi], ecx
    add edi, 4096
    dec ecx
    jnz .touch
%if PARTNER_MESSAGES > 0
    sys_nodeinfo 0
    dec edx
    sys_spawn self_name, edx, partner_argument
    test eax, eax
    js failed
    mov [partner_pid], eax
    sys_send eax, message, 4
%endif
    mov ebp, ROUNDS_MAX
.round:
    mov edi, [heap]
    mov ecx, HOT_PAGES
.hot_page:
    add [edi + 8], ebp
    add edi, 4096
    dec ecx
    jnz .hot_page
%if PARTNER_MESSAGES > 0
    sys_receive message, 4, 0, 1000
    test eax, eax
    js .received
    inc dword [received]
.received:
%else
    sys_sleep 1000
%endif
    cmp dword [after_rounds], 0
    jne .count_down
%if EXPECT_MOVE
    sys_nodeinfo 0
    cmp eax, [start_node]
    je .next
%endif
    cmp dword [received], PARTNER_MESSAGES
    jb .next
    mov dword [after_rounds], AFTER_ROUNDS
.count_down:
    dec dword [after_rounds]
    jz .read
.next:
    dec ebp
    jnz .round
    jmp failed
.read:
    xor eax, eax
    mov edi, [heap]
    mov ecx, BYTES / 4096
.read_page:
    add eax, [edi]
    add eax, [edi + 8]
    add edi, 4096
    dec ecx
    jnz .read_page
%if PARTNER_MESSAGES > 0
    sys_wait [partner_pid]
    test eax, eax
    jnz failed
%endif
    sys_exit 0

partner:
    sys_receive message, 4, 0, 0
    mov edi, edx
    mov ebp, PARTNER_MESSAGES
.send:
    sys_sleep 1000
    sys_send edi, message, 4
    test eax, eax
    jnz failed
    dec ebp
    jnz .send
    sys_exit 0

failed:
    sys_exit 1

section .data
self_name:        db "migration-hoarder", 0
partner_argument: db "partner", 0
start_node:       dd 0
heap:             dd 0
after_rounds:     dd 0
received:         dd 0
partner_pid:      dd 0
message:          dd 0
