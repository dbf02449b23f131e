; cluster-demo: the workload `sterna boot` runs with no --run. The coordinator (on node 0)
; spawns WORKERS copies of cluster-demo-worker.asm: the first ones on each other node in turn,
; the rest on any node (the least loaded kernel that answers). It sends each worker a number
; of rounds, collects the answers from whichever worker finishes first, waits for them all,
; and prints what each computed and where. Output is the same whatever the node count,
; fabric or worker threads, except for the nodes named.
%include "sterna.inc"

WORKERS equ 8
EXPLICIT_WORKERS equ 4

section .text
global _start
_start:
    sys SYS_NODEINFO, 0
    mov [node_count], edx
    xor esi, esi                    ; worker index
.spawn_next:
    mov ecx, NODE_ANY
    cmp esi, EXPLICIT_WORKERS
    jae .spawn
    lea eax, [esi + 1]              ; node (index + 1) mod count
    xor edx, edx
    div dword [node_count]
    mov ecx, edx
.spawn:
    push esi
    sys_spawn worker_path, ecx, 0
    pop esi
    test eax, eax
    js failed
    mov [worker_pids + esi * 4], eax
    lea eax, [esi + 1]              ; rounds: (index + 1) * 700000
    imul eax, eax, 700000
    mov [rounds], eax
    push esi
    sys_send [worker_pids + esi * 4], rounds, 4
    pop esi
    test eax, eax
    jnz failed
    inc esi
    cmp esi, WORKERS
    jb .spawn_next

    mov esi, WORKERS
.collect:
    push esi
    sys_receive answer, 8, 0, 0     ; from any worker: [node, checksum]
    pop esi
    cmp eax, 8
    jne failed
    mov edi, answer_line
    mov eax, edx                    ; the sender's pid, NODE.LOCAL
    shr eax, 20
    call put_decimal
    mov byte [edi], '.'
    inc edi
    mov eax, edx
    and eax, 0xfffff
    call put_decimal
    mov ecx, on_node_text
    call put_text
    mov eax, [answer]
    call put_decimal
    mov ecx, checksum_text
    call put_text
    mov eax, [answer + 4]
    call put_decimal
    mov byte [edi], 10
    inc edi
    sub edi, answer_line
    push esi
    sys_write 1, answer_line, edi
    pop esi
    dec esi
    jnz .collect

    mov esi, WORKERS
.wait_all:
    push esi
    sys SYS_WAIT, 0
    pop esi
    test eax, eax
    jnz failed                      ; every worker exits 0
    dec esi
    jnz .wait_all
    sys_write 1, done_line, done_line_bytes
    sys_exit 0

failed:
    sys_write 2, failed_line, failed_line_bytes
    sys_exit 1

; Appends eax in decimal at edi (advancing edi). Keeps ebx, edx, esi.
put_decimal:
    push edx
    push ebx
    mov ebx, 10
    xor ecx, ecx
.digit:
    xor edx, edx
    div ebx
    add dl, '0'
    push edx
    inc ecx
    test eax, eax
    jnz .digit
.store:
    pop eax
    mov [edi], al
    inc edi
    loop .store
    pop ebx
    pop edx
    ret

; Appends the NUL-terminated text at ecx at edi (advancing edi).
put_text:
    mov al, [ecx]
    test al, al
    jz .done
    mov [edi], al
    inc ecx
    inc edi
    jmp put_text
.done:
    ret

section .data
worker_path: db "cluster-demo-worker.asm", 0
on_node_text: db " ran on node ", 0
checksum_text: db ", checksum ", 0
done_line: db "cluster demo done", 10
done_line_bytes equ $ - done_line
failed_line: db "cluster-demo: unexpected result", 10
failed_line_bytes equ $ - failed_line

section .bss
node_count: resd 1
rounds: resd 1
answer: resd 2
worker_pids: resd WORKERS
answer_line: resb 96
