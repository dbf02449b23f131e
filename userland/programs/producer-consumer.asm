; producer-consumer: the producer spawns a copy of itself (argument "consumer"), sends it the
; items 1..ITEMS as one-byte messages, then an empty message meaning "no more", and waits for
; the consumer's reply: the sum of the items. The consumer prints each item as it takes it and
; the total at the end. Output: "consumed 1" .. "consumed 9", "consumer total 45",
; "producer got 45".
%include "sterna.inc"

ITEMS equ 9

section .text
global _start
_start:
    cmp dword [esp], 2
    jae consumer

producer:
    mov eax, [esp + 4]
    sys_spawn eax, NODE_THIS, consumer_argument
    test eax, eax
    js failed
    mov edi, eax                    ; the consumer's pid
    mov byte [item], 1
.send:
    sys_send edi, item, 1
    test eax, eax
    jnz failed
    inc byte [item]
    cmp byte [item], ITEMS + 1
    jne .send
    sys_send edi, item, 0           ; the end marker
    sys_receive total, 1, edi, 0
    cmp eax, 1
    jne failed
    movzx eax, byte [total]
    mov esi, producer_line + 13
    call two_digits
    sys_write 1, producer_line, producer_line_bytes
    sys_wait edi
    sys_exit eax

consumer:
    mov byte [total], 0
.take:
    sys_receive item, 1, 0, 0
    test eax, eax
    js failed
    jz .finish
    mov edi, edx                    ; the producer
    movzx eax, byte [item]
    add [total], al
    mov esi, consumed_line + 9
    call two_digits
    sys_write 1, consumed_line, consumed_line_bytes
    jmp .take
.finish:
    movzx eax, byte [total]
    mov esi, consumer_line + 15
    call two_digits
    sys_write 1, consumer_line, consumer_line_bytes
    sys_send edi, total, 1
    sys_exit 0

; Writes eax (0..99) as two decimal digits at [esi], a space for a leading zero.
two_digits:
    push edx
    push ecx
    xor edx, edx
    mov ecx, 10
    div ecx
    add dl, '0'
    mov [esi + 1], dl
    mov byte [esi], ' '
    test eax, eax
    jz .done
    add al, '0'
    mov [esi], al
.done:
    pop ecx
    pop edx
    ret

failed:
    sys_write 2, failed_line, failed_line_bytes
    sys_exit 1

section .data
consumer_argument: db "consumer", 0
consumed_line: db "consumed ??", 10
consumed_line_bytes equ $ - consumed_line
consumer_line: db "consumer total ??", 10
consumer_line_bytes equ $ - consumer_line
producer_line: db "producer got ??", 10
producer_line_bytes equ $ - producer_line
failed_line: db "producer-consumer: unexpected result", 10
failed_line_bytes equ $ - failed_line

section .bss
item: resb 1
total: resb 1
