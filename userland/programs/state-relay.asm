; state-relay: a process with 256 KiB of state that talks to a partner on another node every
; round, for watching migration keep a process whole. Argument: the partner's node (a digit).
; The parent fills its heap state (every page written), spawns the partner, and each round
; changes four words of the state spread over it, sends the round number to the partner, checks
; the reply (3 * round + 1) and folds it into the state. Every 25 rounds it prints the round
; and a checksum of the whole 256 KiB. The partner keeps a 64 KiB table of what it received;
; at the end it sends the table's checksum, which the parent prints, and exits 0. The parent
; exits with the partner's status, or 1 on any unexpected result. Nothing printed depends on
; where either process runs or when it moves: a lost, repeated or reordered message, or a
; page lost or stale after a move, changes the output.
%include "sterna.inc"

ROUNDS equ 200
STATE_BYTES equ 262144
STATE_MASK equ STATE_BYTES / 4 - 1
TABLE_BYTES equ 65536
TABLE_MASK equ TABLE_BYTES / 4 - 1
END_OF_ROUNDS equ -1

section .text
global _start
_start:
    cmp dword [esp], 2
    jb failed
    mov eax, [esp + 8]
    cmp byte [eax], 'p'
    je partner
    movzx ecx, byte [eax]
    sub ecx, '0'
    mov eax, [esp + 4]
    sys_spawn eax, ecx, partner_argument
    test eax, eax
    js failed
    mov edi, eax                    ; the partner
    sys_brk 0
    mov [state], eax
    lea ebx, [eax + STATE_BYTES]
    sys_brk ebx
    cmp eax, ebx
    jne failed
    call fill_state
.round:
    call stir_state
    sys_send edi, round, 4
    test eax, eax
    jnz failed
    sys_receive reply, 4, edi, 0
    cmp eax, 4
    jne failed
    mov eax, [round]
    lea eax, [eax + eax * 2 + 1]
    cmp eax, [reply]
    jne failed
    imul ebx, eax, 40503            ; the reply lands in the state too
    and ebx, STATE_MASK
    mov edx, [state]
    xor [edx + ebx * 4], eax
    inc dword [round]
    mov eax, [round]
    xor edx, edx
    mov ecx, 25
    div ecx
    test edx, edx
    jnz .next
    call state_checksum
    mov edx, eax
    mov eax, [round]
    call print_pair
.next:
    cmp dword [round], ROUNDS
    jne .round
    mov dword [round], END_OF_ROUNDS
    sys_send edi, round, 4
    test eax, eax
    jnz failed
    sys_receive reply, 4, edi, 0
    cmp eax, 4
    jne failed
    mov eax, END_OF_ROUNDS
    mov edx, [reply]
    call print_pair
    sys_wait edi
    mov ebx, eax
    sys_exit ebx

; fill_state: word i of the state = i * 2654435761 + 12345 (every page written).
fill_state:
    mov ebx, [state]
    xor ecx, ecx
.word:
    imul eax, ecx, 2654435761
    add eax, 12345
    mov [ebx + ecx * 4], eax
    inc ecx
    cmp ecx, STATE_BYTES / 4
    jne .word
    ret

; stir_state: adds round + k to four words, k = 0..3, at indexes spread over the pages.
stir_state:
    mov ebx, [state]
    xor ecx, ecx
.word:
    imul eax, ecx, 16411
    mov edx, [round]
    imul edx, edx, 4099
    add eax, edx
    and eax, STATE_MASK
    mov edx, [round]
    add edx, ecx
    add [ebx + eax * 4], edx
    inc ecx
    cmp ecx, 4
    jne .word
    ret

; state_checksum: eax = a rotate-and-add checksum of every word of the state.
state_checksum:
    push ebx
    push ecx
    mov ebx, [state]
    xor eax, eax
    xor ecx, ecx
.word:
    rol eax, 5
    add eax, [ebx + ecx * 4]
    inc ecx
    cmp ecx, STATE_BYTES / 4
    jne .word
    pop ecx
    pop ebx
    ret

partner:
    sys_receive buffer, 4, 0, 0
    cmp eax, 4
    jne failed
    mov edi, edx
    mov eax, [buffer]
    cmp eax, END_OF_ROUNDS
    je .done
    imul ebx, eax, 2654435761       ; the round lands in the table
    shr ebx, 18
    and ebx, TABLE_MASK
    add [table + ebx * 4], eax
    lea eax, [eax + eax * 2 + 1]
    mov [buffer], eax
    sys_send edi, buffer, 4
    test eax, eax
    jnz failed
    jmp partner
.done:
    xor eax, eax
    xor ecx, ecx
.word:
    rol eax, 5
    add eax, [table + ecx * 4]
    inc ecx
    cmp ecx, TABLE_BYTES / 4
    jne .word
    mov [buffer], eax
    sys_send edi, buffer, 4
    test eax, eax
    jnz failed
    sys_exit 0

failed:
    sys_write 2, failed_line, failed_line_bytes
    sys_exit 1

%include "print-pair.inc"

section .data
partner_argument: db "partner", 0
failed_line: db "state-relay: unexpected result", 10
failed_line_bytes equ $ - failed_line

section .bss
state: resd 1
round: resd 1
reply: resd 1
buffer: resd 1
table: resb TABLE_BYTES
