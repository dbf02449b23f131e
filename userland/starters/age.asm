; age: a Starter after Harchol-Balter and Downey ("Exploiting process lifetime distributions for
; dynamic load balancing", 1997). Processes that have lived long tend to live longer, so a move
; pays only for a process old enough: it migrates only if its age exceeds the migration cost
; divided by the load difference (in runnable processes) between the two nodes. Age is CPU time
; used, as in the paper (its lifetimes are CPU seconds): a coordinator that has slept for most of
; a long life is young by this measure, and stays where it is. The cost is
; estimated from its memory, COST_FIXED_US plus COST_US_PER_KIB per KiB (about what moving it
; over the 80 Mbit/s ring takes). The source offers its oldest process that passes the test
; with the gap it estimates from the loads it heard; the destination tests it again with its own
; figures. The loop, offers, answers, migrate_out and migrate_in are starter-kit.inc's.
%include "sterna.inc"

PERIOD_US equ 100000            ; statistics every 100 ms: each costs the node a wake-up and
                                ; two context switches, and a move pays only after many of them
COST_FIXED_US equ 2000          ; request, link updates, state: a few round trips
COST_US_PER_KIB equ 120         ; one KiB of pages over the ring, headers and acks included

%include "starter-kit.inc"

section .text
; eax = the oldest runnable process (not the Starter), by CPU time, whose CPU time exceeds its
; cost / target_gap, or 0.
policy_candidate:
    movzx ecx, word [ebx + starter_statistics.process_entries]
    lea esi, [ebx + starter_statistics_size]
    xor eax, eax
    xor edi, edi                    ; oldest CPU age so far (low dword; see saturated_low)
    jecxz .done
.entry:
    cmp byte [esi + starter_process.state], STATE_RUNNABLE
    jne .next
    mov edx, [esi + starter_process.pid]
    cmp edx, [my_pid]
    je .next
    push eax
    push ecx
    mov eax, [esi + starter_process.memory_bytes]
    mov ecx, [target_gap]
    call cost_share_us              ; eax = cost / gap
    mov edx, esi
    add edx, starter_process.cpu_us
    call saturated_low                 ; edx = CPU age, saturated to 32 bits
    cmp edx, eax
    pop ecx
    pop eax
    jbe .next                       ; not old enough to pay for its move
    cmp edx, edi
    jbe .next
    mov edi, edx
    mov eax, esi
.next:
    add esi, starter_process_size
    loop .entry
.done:
    ret

; eax = 1 when the gap (the offering node's runnable processes minus ours) is at least 2 and
; the offered process's CPU age exceeds its cost / the gap.
policy_accepts_offer:
    mov ecx, [ebx + starter_offer.runnable]
    sub ecx, [runnable]
    cmp ecx, 2
    jl .deny
    mov eax, [ebx + starter_offer.memory_bytes]
    call cost_share_us
    lea edx, [ebx + starter_offer.cpu_us]
    call saturated_low
    cmp edx, eax
    jbe .deny
    mov eax, 1
    ret
.deny:
    xor eax, eax
    ret

; eax = (COST_FIXED_US + memory KiB * COST_US_PER_KIB) / ecx, for memory eax bytes, gap ecx > 0.
; Keeps ebx, esi, edi.
cost_share_us:
    shr eax, 10
    imul eax, eax, COST_US_PER_KIB
    add eax, COST_FIXED_US
    xor edx, edx
    div ecx
    ret

; edx = the u64 at [edx], saturated to 0xffffffff. Keeps every other register.
saturated_low:
    cmp dword [edx + 4], 0
    mov edx, [edx]
    je .done
    mov edx, 0xffffffff
.done:
    ret
