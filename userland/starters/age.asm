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
;
; What it costs and how soon it acts follow its node's state. Each statistics message wakes
; the Starter, and on a node running a job costs that job two context switches; a node with one
; runnable job has nothing to offer, so it asks for statistics seldom. An overloaded node asks
; often, and when no node it heard of is two processes lighter, it offers its candidate to the
; next peer in turn anyway: the peer's Starter answers from its own fresh figures, so an idle
; node is found within a few periods instead of when its kernel's load report happens to arrive.
%include "sterna.inc"

PERIOD_IDLE_US equ 100000       ; nothing runs here: the figures an offer is judged by stay fresh
PERIOD_ONE_JOB_US equ 1000000   ; nothing to offer; a wake-up only delays the job
PERIOD_OVERLOADED_US equ 50000  ; two or more runnable: look for a lighter node soon
PERIOD_US equ PERIOD_IDLE_US    ; the first handshake's period
%define COOLDOWN_PERIODS 1       ; after a refusal or a move, offer again at the next statistics
%define POLICY_ON_STATISTICS     ; policy_on_statistics below
COST_FIXED_US equ 2000          ; request, link updates, state: a few round trips
COST_US_PER_KIB equ 120         ; one KiB of pages over the ring, headers and acks included

%include "starter-kit.inc"

section .data
period_us:  dd PERIOD_US        ; the period last asked for
probe_node: dd 0                ; the last peer asked without figures heard of it

section .text
; The period for this node's state (handshake again when it changes); when overloaded with no
; node heard of two processes lighter, the next peer in turn becomes the target, its
; runnable count taken as 0 for the kit's gap (the peer checks it against its own figures).
policy_on_statistics:
    mov ecx, [runnable]
    mov eax, PERIOD_IDLE_US
    jecxz .period
    mov eax, PERIOD_ONE_JOB_US
    cmp ecx, 1
    je .period
    mov eax, PERIOD_OVERLOADED_US
.period:
    cmp eax, [period_us]
    je .probe
    mov [period_us], eax
    sys_handshake 1, eax
.probe:
    mov eax, [runnable]
    cmp eax, 2
    jb .done
    cmp dword [target_node], NO_NODE
    je .next_peer
    sub eax, [target_runnable]
    cmp eax, 2
    jge .done                       ; a node heard of is light enough
.next_peer:
    cmp dword [pending_pid], 0
    jne .done                       ; the kit offers nothing now: keep the turn
    cmp dword [cooldown], 0
    jne .done
    mov ecx, [kit_buffer + starter_statistics.load + NODEINFO_NODE_COUNT]
    cmp ecx, 2
    jb .done
    mov eax, [probe_node]
.advance:
    inc eax
    cmp eax, ecx
    jb .in_range
    xor eax, eax
.in_range:
    cmp eax, [my_node]
    je .advance
    mov [probe_node], eax
    mov [target_node], eax
    mov dword [target_runnable], 0
.done:
    ret

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
