; balance-injector: the job generator of `sterna bench balance` (docs/load-balancing.md), run
; on node 0. The bench appends the schedule: `schedule`, JOB_COUNT entries of ENTRY_BYTES
; (arrival in virtual ns from boot as a qword, the node to spawn on or NODE_ANY, a pointer to
; the job's argument string), in arrival order. For each entry it sleeps until the arrival,
; spawns `job` there, and goes on; spawn blocks until the pid is back, so the jobs start in
; schedule order. Then it waits for every child and exits 0 when all exited 0, else 1.
%include "sterna.inc"

ENTRY_ARRIVAL_NS equ 0
ENTRY_NODE       equ 8
ENTRY_ARGUMENT   equ 12
ENTRY_BYTES      equ 16
SLEEP_US_MAX     equ 1000000000     ; one sleep at most 1000 s; longer gaps take several

section .text
global _start
_start:
    mov esi, schedule
    mov edi, JOB_COUNT
next_job:
    test edi, edi
    jz collect
wait_for_arrival:
    sys_clock                       ; edx:eax = now
    mov ebx, [esi + ENTRY_ARRIVAL_NS]
    mov ecx, [esi + ENTRY_ARRIVAL_NS + 4]
    sub ebx, eax
    sbb ecx, edx                    ; ecx:ebx = arrival - now
    jl spawn_job                    ; already late
    mov eax, ebx
    or eax, ecx
    jz spawn_job
    cmp ecx, 1000
    jae .longest
    mov eax, ebx
    mov edx, ecx
    mov ebx, 1000
    div ebx                         ; eax = whole us to wait; edx < 1000 keeps it in 32 bits
    test edx, edx
    jz .sleep
    inc eax                         ; round up, so the wake-up is never early
.sleep:
    cmp eax, SLEEP_US_MAX
    jbe .sleep_now
.longest:
    mov eax, SLEEP_US_MAX
.sleep_now:
    sys_sleep eax
    jmp wait_for_arrival

spawn_job:
    sys_spawn job_path, [esi + ENTRY_NODE], [esi + ENTRY_ARGUMENT]
    test eax, eax
    js spawn_failed
    add esi, ENTRY_BYTES
    dec edi
    jmp next_job

collect:
    sys_wait 0
    cmp eax, -ECHILD
    je all_collected
    test eax, eax
    jz collect
    mov dword [failures], 1         ; mov keeps the flags of the test
    jns collect                     ; a status: go on; any other error: stop waiting
all_collected:
    sys_exit [failures]

spawn_failed:
    sys_write 2, spawn_failed_line, spawn_failed_line_bytes
    mov dword [failures], 1
    jmp collect

section .data
job_path: db "job", 0
failures: dd 0
spawn_failed_line: db "balance-injector: a spawn failed; the schedule was cut short", 10
spawn_failed_line_bytes equ $ - spawn_failed_line
