; threshold: the default Starter of `sterna boot` (docs/starters.md walks through it). A node is
; overloaded when at least two processes want its CPU and a node it has heard of has at least
; two fewer: it offers that node's Starter its best candidate, the runnable process with the
; least memory (the cheapest to move). A Starter accepts an offer when, with the process added,
; its node would still have fewer runnable processes than the offering node has now, so a move
; never just swaps the imbalance. The loop, the offers and answers, migrate_out and migrate_in
; are starter-kit.inc's; this file is the policy.
%include "sterna.inc"

PERIOD_US equ 20000             ; statistics every 20 ms

%include "starter-kit.inc"

section .text
; eax = the runnable process entry with the least memory (not the Starter), or 0.
policy_candidate:
    movzx ecx, word [ebx + starter_statistics.process_entries]
    lea esi, [ebx + starter_statistics_size]
    xor eax, eax
    mov edi, 0xffffffff             ; least memory so far
    jecxz .done
.entry:
    cmp byte [esi + starter_process.state], STATE_RUNNABLE
    jne .next
    mov edx, [esi + starter_process.pid]
    cmp edx, [my_pid]
    je .next
    cmp [esi + starter_process.memory_bytes], edi
    jae .next
    mov edi, [esi + starter_process.memory_bytes]
    mov eax, esi
.next:
    add esi, starter_process_size
    loop .entry
.done:
    ret

; eax = 1 when runnable + 1 < the offering node's runnable, else 0.
policy_accepts_offer:
    mov edx, [runnable]
    add edx, 2
    xor eax, eax
    cmp edx, [ebx + starter_offer.runnable]
    ja .done
    mov eax, 1
.done:
    ret
