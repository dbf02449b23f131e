// Every ABI v1 call of issue 5, success and error paths, from inside a guest. Each guest
// writes the eax (and sometimes edx) of its calls to stdout as little-endian dwords; the
// expected values are the ABI's (DESIGN.md §4, docs/abi.md, docs/kernel.md §5): Linux errno
// numbers, PIDs NODE << 20 | LOCAL, virtual time at 100 MHz.

import { describe, expect, it } from "vitest";
import { assembleGuest, boot, bootSource, dwords } from "./boot-guests.ts";

const EPERM = -1;
const ENOENT = -2;
const ESRCH = -3;
const ECHILD = -10;
const EAGAIN = -11;
const EFAULT = -14;
const EINVAL = -22;
const EMSGSIZE = -90;
const ETIMEDOUT = -110;
/** The first process on node 0: local id 1. */
const firstPid = 1;

const prelude = `%include "sterna.inc"
%macro report 1
    mov [result], %1
    push eax
    push ebx
    push ecx
    push edx
    sys_write 1, result, 4
    pop edx
    pop ecx
    pop ebx
    pop eax
%endmacro
section .bss
result: resd 1
buffer: resb 8192
section .text
global _start
_start:
`;

function results(body: string, extraFiles: { path: string; source: string }[] = []) {
  const files = [
    { path: "guest.elf", image: assembleGuest(prelude + body) },
    ...extraFiles.map((file) => ({ path: file.path, image: assembleGuest(file.source) })),
  ];
  const run = boot(files, { runs: ["guest.elf"] });
  return { values: dwords(run.stdoutBytes), run };
}

describe("send and receive", () => {
  it("send checks length, then the pid, then the buffer", () => {
    const { values } = results(`
    sys_getpid
    mov edi, eax
    sys_send edi, buffer, 4097
    report eax
    sys_send 0, buffer, 4
    report eax
    sys_send 0x7ffff, buffer, 4
    report eax
    sys_send edi, 0, 4
    report eax
    sys_send edi, 0xc0000000, 4
    report eax
    sys_exit 0`);
    expect(values).toEqual([EMSGSIZE, ESRCH, ESRCH, EFAULT, EFAULT]);
  });

  it("a message to oneself comes back with its length and the sender in edx", () => {
    const { values } = results(`
    sys_getpid
    mov edi, eax
    mov dword [buffer], 0x11223344
    sys_send edi, buffer, 3
    report eax
    mov dword [buffer], 0
    sys_receive buffer, 16, 0, 0
    report eax
    report edx
    mov eax, [buffer]
    report eax
    sys_send edi, buffer, 0
    sys_receive buffer, 16, edi, 0
    report eax
    sys_exit 0`);
    expect(values).toEqual([0, 3, firstPid, 0x223344, 0]);
  });

  it("a full mailbox (64 messages) refuses with -EAGAIN and loses nothing", () => {
    const { values } = results(`
    sys_getpid
    mov edi, eax
    xor ebp, ebp
.fill:
    mov [buffer], ebp
    sys_send edi, buffer, 4
    test eax, eax
    jnz .full
    inc ebp
    jmp .fill
.full:
    report eax
    report ebp
    xor ebp, ebp
.drain:
    sys_receive buffer, 4, 0, 0
    cmp [buffer], ebp
    jne .out
    inc ebp
    cmp ebp, 64
    jne .drain
.out:
    report ebp
    sys_exit 0`);
    expect(values).toEqual([EAGAIN, 64, 64]);
  });

  it("receive: too small a buffer or a bad one leaves the message queued", () => {
    const { values } = results(`
    sys_getpid
    mov edi, eax
    sys_send edi, buffer, 100
    sys_receive buffer, 99, 0, 0
    report eax
    sys_receive 0, 100, 0, 0
    report eax
    sys_receive buffer, 100, 0, 0
    report eax
    sys_exit 0`);
    expect(values).toEqual([EMSGSIZE, EFAULT, 100]);
  });

  it("receive times out in virtual time, and a filter naming no process gives -ESRCH", () => {
    const { values } = results(`
    sys_clock
    mov edi, eax
    sys_receive buffer, 16, 0, 2500
    report eax
    sys_clock
    sub eax, edi
    report eax
    sys_receive buffer, 16, 0x7ffff, 0
    report eax
    sys_exit 0`);
    expect(values[0]).toBe(ETIMEDOUT);
    expect(values[1]).toBeGreaterThanOrEqual(2_500_000);
    expect(values[1]).toBeLessThan(2_600_000);
    expect(values[2]).toBe(ESRCH);
  });

  it("a receiver blocked on one sender gets -ESRCH when that sender ends", () => {
    const child = `%include "sterna.inc"
section .text
global _start
_start:
    sys_sleep 1000
    sys_exit 3`;
    const { values } = results(
      `
    sys_spawn child_path, NODE_THIS, 0
    mov edi, eax
    sys_receive buffer, 16, edi, 0
    report eax
    sys_wait edi
    report eax
    sys_exit 0
section .data
child_path: db "child.elf", 0`,
      [{ path: "child.elf", source: child }],
    );
    expect(values).toEqual([ESRCH, 3]);
  });
});

describe("spawn, wait, kill", () => {
  const printArgs = `%include "sterna.inc"
section .text
global _start
_start:
    mov ebp, [esp]          ; argc
    lea esi, [esp + 4]
.arg:
    mov ecx, [esi]
    mov edx, ecx
.len:
    cmp byte [edx], 0
    je .print
    inc edx
    jmp .len
.print:
    mov byte [edx], 10
    sub edx, ecx
    inc edx
    push esi
    sys_write 2, ecx, edx
    pop esi
    add esi, 4
    dec ebp
    jnz .arg
    sys_exit 7`;

  it("spawn splits the argument string into argv after the path; wait gives status and pid", () => {
    const { values, run } = results(
      `
    sys_spawn path, NODE_THIS, arguments
    mov edi, eax
    sys_wait 0
    report eax
    sub edx, edi
    report edx
    sys_spawn path, 0, 0
    sys_wait eax
    sys_spawn path, NODE_ANY, 0
    sys_wait eax
    report eax
    sys_exit 0
section .data
path: db "bin/args.elf", 0
arguments: db "  one two", 9, "three ", 0`,
      [{ path: "args.elf", source: printArgs }],
    );
    expect(run.stderr.startsWith("bin/args.elf\none\ntwo\nthree\n")).toBe(true);
    expect(values.slice(-3)).toEqual([7, 0, 7]);
  });

  it("spawn refuses a missing file, another node and a bad pointer", () => {
    const { values } = results(`
    sys_spawn missing, NODE_THIS, 0
    report eax
    sys_spawn missing, 5, 0
    report eax
    sys_spawn 0, NODE_THIS, 0
    report eax
    sys_spawn self, NODE_THIS, 1
    report eax
    sys_exit 0
section .data
missing: db "nothing.elf", 0
self: db "guest.elf", 0`);
    expect(values).toEqual([ENOENT, EINVAL, EFAULT, EFAULT]);
  });

  it("wait without children, or for a process that is not a child, gives -ECHILD", () => {
    const { values } = results(`
    sys_wait 0
    report eax
    sys_getpid
    sys_wait eax
    report eax
    sys_exit 0`);
    expect(values).toEqual([ECHILD, ECHILD]);
  });

  it("kill of an unknown or ended process gives -ESRCH; kill of oneself ends with 137", () => {
    const { values, run } = results(
      `
    sys_kill 0x7ffff
    report eax
    sys_spawn path, NODE_THIS, 0
    mov edi, eax
    sys_wait edi
    sys_kill edi
    report eax
    sys_getpid
    sys_kill eax
    report eax
section .data
path: db "args.elf", 0`,
      [{ path: "args.elf", source: printArgs }],
    );
    expect(values).toEqual([ESRCH, ESRCH]);
    expect(run.result.processes[0]!.status).toBe(137);
    expect(run.result.exitStatus).toBe(1);
  });

  it("orphans are re-parented to the kernel and still run to their end", () => {
    const orphan = `%include "sterna.inc"
section .text
global _start
_start:
    sys_sleep 5000
    sys_write 1, line, 7
    sys_exit 4
section .data
line: db "orphan", 10`;
    const { run } = results(
      `
    sys_spawn path, NODE_THIS, 0
    sys_exit 0
section .data
path: db "orphan.elf", 0`,
      [{ path: "orphan.elf", source: orphan }],
    );
    expect(run.stdout).toBe("orphan\n");
    expect(run.result.processes.map((p) => p.status)).toEqual([0, 4]);
    expect(run.result.outcome).toBe("exited");
  });
});

describe("clock, sleep, nodeinfo, Starter-only calls", () => {
  it("sleep passes virtual time; clock counts ns in edx:eax", () => {
    const { values } = results(`
    sys_clock
    report edx
    mov edi, eax
    sys_sleep 20000
    report eax
    sys_clock
    sub eax, edi
    report eax
    sys_sleep 0
    report eax
    sys_exit 0`);
    expect(values[0]).toBe(0);
    expect(values[1]).toBe(0);
    expect(values[2]).toBeGreaterThanOrEqual(20_000_000);
    expect(values[2]).toBeLessThan(20_100_000);
    expect(values[3]).toBe(0);
  });

  it("nodeinfo: node 0 of 1, and the load record once the sleeping node has been sampled", () => {
    const { values } = results(`
    sys_sleep 50000
    sys_nodeinfo 0
    report eax
    report edx
    sys_nodeinfo buffer
    report eax
    mov ecx, 0
.copy:
    mov eax, [buffer + ecx * 4]
    report eax
    inc ecx
    cmp ecx, 8
    jne .copy
    sys_nodeinfo 1
    report eax
    sys_exit 0`);
    // node, count; node; record: node, count, load permille, run queue, processes,
    // run queue avg, process avg (milli), samples; then a bad buffer.
    expect(values.slice(0, 5)).toEqual([0, 1, 0, 0, 1]);
    const [loadPermille, runQueue, processes, runQueueAvg, processAvg, samples] = values.slice(
      5,
      11,
    );
    expect(samples).toBe(5);
    expect(loadPermille).toBe(0);
    expect([runQueue, processes, runQueueAvg, processAvg]).toEqual([0, 1, 0, 1000]);
    expect(values[11]).toBe(EFAULT);
  });

  it("handshake, migrate_out, migrate_in and cancel_migrate answer -EPERM (no Starters yet)", () => {
    const { values } = results(`
    sys_handshake 1, 1000
    report eax
    sys_migrate_out 1, 0
    report eax
    sys_migrate_in 1, 1
    report eax
    sys_cancel_migrate 1
    report eax
    mov eax, 1013
    int 0x80
    report eax
    sys_exit 0`);
    expect(values).toEqual([EPERM, EPERM, EPERM, EPERM, -38]);
  });
});

describe("limits", () => {
  it("spawn past the process table's size gives -EAGAIN", () => {
    const child = `%include "sterna.inc"
section .text
global _start
_start:
    sys_sleep 1000
    sys_exit 0`;
    const { values } = (() => {
      const files = [
        {
          path: "guest.elf",
          image: assembleGuest(`${prelude}
    xor ebp, ebp
.more:
    sys_spawn path, NODE_THIS, 0
    test eax, eax
    js .stop
    inc ebp
    jmp .more
.stop:
    report eax
    report ebp
    sys_exit 0
section .data
path: db "child.elf", 0`),
        },
        { path: "child.elf", image: assembleGuest(child) },
      ];
      const run = boot(files, { processesMax: 4 });
      return { values: dwords(run.stdoutBytes) };
    })();
    expect(values).toEqual([EAGAIN, 3]);
  });

  it("brk past the per-process memory bound leaves the break unchanged", () => {
    const run = bootSource(`${prelude}
    sys_brk 0
    mov edi, eax
    lea ebx, [edi + 0x2000000]
    sys_brk ebx
    sub eax, edi
    report eax
    sys_exit 0`);
    expect(dwords(run.stdoutBytes)).toEqual([0]);
  });
});
