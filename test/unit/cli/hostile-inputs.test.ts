// Hostile inputs through the real CLI (issue 12): each must end with its documented status
// (README's exit-status table, docs/abi.md's status table), one clear line on stderr naming
// the option, file or cause, no host error text or stack trace, and within a time limit.

import {
  closeSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sterna } from "../../support/run-cli.ts";
import { sternaWithStdio } from "../../support/run-cli-stdio.ts";
import { fixtureImage } from "../kernel/fixtures.ts";
import { assembleGuest } from "../node/boot-guests.ts";

const directory = mkdtempSync(join(tmpdir(), "sterna-hostile-"));
const openFds: number[] = [];
afterAll(() => {
  for (const fd of openFds) closeSync(fd);
});

function guest(name: string, body: string, data = ""): string {
  const path = join(directory, name);
  const source = `%include "sterna.inc"\nsection .text\nglobal _start\n_start:\n${body}\n${data}`;
  writeFileSync(path, assembleGuest(source, `${name}.asm`));
  return path;
}

/** Exits with the errno its first write (or read) returned, 0 if it succeeded. */
const writeOnce = guest(
  "write-once",
  "    sys_write 1, message, 6\n    neg eax\n    js .ok\n    sys_exit eax\n.ok:\n    sys_exit 0",
  'section .data\nmessage: db "hello", 10',
);
const readOnce = guest(
  "read-once",
  "    sys_read 0, buffer, 16\n    neg eax\n    js .ok\n    sys_exit eax\n.ok:\n    sys_exit 0",
  "section .bss\nbuffer: resb 16",
);
/** Writes forever, ignoring errors, like yes(1). */
const yes = guest(
  "yes",
  "    sys_write 1, line, 2\n    jmp _start",
  'section .data\nline: db "y", 10',
);

/** One line, no host error text, no stack trace. */
function expectOneCleanLine(stderr: string, pattern: RegExp): void {
  expect(stderr).not.toMatch(/\n\s+at |node:|Error:|ENOENT|EISDIR|ENOSPC|EPIPE/);
  const lines = stderr.split("\n").filter((line) => line !== "");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
}

function hostFd(path: string, flags: string): number {
  const fd = openSync(path, flags);
  openFds.push(fd);
  return fd;
}

describe.concurrent("hostile inputs through the CLI", () => {
  it("a guest writing to a full disk gets -ENOSPC, as under qemu-i386", async () => {
    const outcome = await sternaWithStdio(["exec", writeOnce], {
      stdoutFd: hostFd("/dev/full", "w"),
    });
    expect([outcome.status, outcome.stderr]).toEqual([28, ""]);
  });

  it("a guest writing to a closed pipe ends with SIGPIPE (141) and says so", async () => {
    const outcome = await sternaWithStdio(["exec", yes], { closeStdout: true });
    expect(outcome.timedOut).toBe(false);
    expect(outcome.status).toBe(141);
    expectOneCleanLine(outcome.stderr, /^sterna: process 1 killed by SIGPIPE: /);
  });

  it("a guest reading a stdin that is a directory gets -EISDIR", async () => {
    const outcome = await sternaWithStdio(["exec", readOnce], {
      stdinFd: hostFd(directory, "r"),
    });
    expect([outcome.status, outcome.stderr]).toEqual([21, ""]);
  });

  it("refuses a device such as /dev/zero at once, naming it", async () => {
    // Without the bound it reads /dev/zero until the host runs out of memory; with it the
    // refusal comes before a byte is read (the limit only allows for a slow, loaded host).
    const outcome = await sternaWithStdio(["exec", "/dev/zero"], { timeLimitMs: 40_000 });
    expect(outcome.timedOut).toBe(false);
    expect(outcome.status).toBe(2);
    expectOneCleanLine(outcome.stderr, /^sterna: \/dev\/zero: not a regular file/);
  });

  it("refuses a file over the size limit before reading it", async () => {
    const big = join(directory, "big.elf");
    // A sparse 65 MiB file: its size alone refuses it.
    writeFileSync(big, "");
    truncateSync(big, 65 * 1024 * 1024);
    const outcome = await sterna(["exec", big]);
    expect(outcome.status).toBe(2);
    expectOneCleanLine(outcome.stderr, /: larger than the 64 MiB limit$/);
  });

  it("bounds --last and names the option", async () => {
    const outcome = await sterna(["exec", "--last", "1000000000", writeOnce]);
    expect(outcome.status).toBe(2);
    expectOneCleanLine(outcome.stderr, /^sterna: option '--last <n>' argument '1000000000'/);
  });

  it("answers an unknown command or option with one line and status 2", async () => {
    for (const args of [["bogus"], ["exec", "--bogus", writeOnce], ["disasm"]]) {
      const outcome = await sterna(args);
      expect(outcome.status).toBe(2);
      expectOneCleanLine(outcome.stderr, /^sterna: /);
    }
  });

  it("boot with worker threads ends at once on a missing program, though its threads had started", async () => {
    const missing = join(directory, "no-such-program.asm");
    const outcome = await sterna(["boot", "--nodes", "4", "--workers", "4", "--run", missing]);
    expect(outcome.status).toBe(2);
    expectOneCleanLine(outcome.stderr, /no-such-program\.asm: no such file or directory$/);
  });

  it("boot refuses a clock too slow for the kernel's periodic work or finer than a kHz, naming the option", async () => {
    const outcome = await sterna(["boot", "--nodes", "1", "--clock", "0.02", "--run", writeOnce]);
    expect(outcome.status).toBe(2);
    expectOneCleanLine(
      outcome.stderr,
      /^sterna: option '--clock <mhz>' argument '0\.02' is invalid/,
    );
    // Finer than a kHz has no exact ratio to nanoseconds (vm/machine/clock-ratio.ts).
    const tooFine = await sterna([
      "boot",
      "--nodes",
      "1",
      "--clock",
      "33.3333",
      "--run",
      writeOnce,
    ]);
    expect(tooFine.status).toBe(2);
    expectOneCleanLine(tooFine.stderr, /argument '33\.3333' is invalid.*whole kHz/);
    const slowest = await sterna(["boot", "--nodes", "1", "--clock", "1", "--run", writeOnce]);
    expect(slowest.status).toBe(0);
    expect(slowest.stdout).toBe("hello\n");
  });

  it("boot runs a program whose path has a blank, written with \\ or quotes", async () => {
    const folder = join(directory, "my programs");
    mkdirSync(folder, { recursive: true });
    copyFileSync(writeOnce, join(folder, "write once"));
    for (const spec of ["my\\ programs/write\\ once", '"my programs/write once"@0']) {
      const outcome = await sterna(["boot", "--nodes", "1", "--run", spec], "", directory);
      expect(outcome.status).toBe(0);
      expect(outcome.stdout).toBe("hello\n");
    }
    const unclosed = await sterna(["boot", "--nodes", "1", "--run", '"my programs/write once']);
    expect(unclosed.status).toBe(2);
    expectOneCleanLine(unclosed.stderr, /no closing "$/);
  });

  it("says an input file name is empty rather than blaming a file ''", async () => {
    for (const command of ["exec", "asm", "disasm"]) {
      const outcome = await sterna([command, ""]);
      expect(outcome.status).toBe(2);
      expectOneCleanLine(outcome.stderr, /^sterna: (\w+: )?an input file name is empty$/);
    }
  });

  it("asm names the listing file when its folder is missing", async () => {
    const source = join(directory, "ok.asm");
    writeFileSync(source, "section .text\nglobal _start\n_start: ret\n");
    const listing = join(directory, "missing", "ok.lst");
    const outcome = await sterna(["asm", source, "-o", join(directory, "ok"), "-l", listing]);
    expect(outcome.status).toBe(2);
    expectOneCleanLine(
      outcome.stderr,
      new RegExp(`^sterna: asm: ${listing}: cannot create: folder .*missing does not exist$`),
    );
  });

  it("disasm refuses more code than it can hold, in one line", async () => {
    const flat = join(directory, "flat.bin");
    writeFileSync(flat, new Uint8Array(1024 * 1024 + 1).fill(0x90));
    const outcome = await sterna(["disasm", "-f", "bin", flat]);
    expect(outcome.status).toBe(2);
    expectOneCleanLine(outcome.stderr, /bytes of code, more than the 1048576 \(1 MiB\)/);
  });

  it("refuses an ELF whose data segment lies on top of its text, naming the field", async () => {
    const image = fixtureImage("hello");
    new DataView(image.buffer).setUint32(52 + 2 * 32 + 8, 0x08049000, true);
    const overlapping = join(directory, "overlapping.elf");
    writeFileSync(overlapping, image);
    const outcome = await sterna(["exec", overlapping]);
    expect(outcome.status).toBe(2);
    expectOneCleanLine(
      outcome.stderr,
      /: program header 2 \(PT_LOAD\): p_vaddr 0x08049000 overlaps/,
    );
  });

  it("says why the kernel ended a process: out of memory, blocked forever, killed by itself", async () => {
    const oom = guest(
      "oom",
      "    sys_brk 0\n    mov edi, eax\n    lea ebx, [eax + 64 * 1024 * 1024 - 64 * 1024]\n    sys_brk ebx\n.touch:\n    mov byte [edi], 1\n    add edi, 4096\n    cmp edi, eax\n    jb .touch\n    sys_exit 0",
    );
    const never = guest(
      "never",
      "    sys_receive buffer, 16, 0, 0\n    sys_exit 0",
      "section .bss\nbuffer: resb 16",
    );
    const selfKill = guest("self-kill", "    sys_getpid\n    sys_kill eax\n    sys_exit 0");
    const [oomRun, neverRun, selfRun] = await Promise.all(
      [oom, never, selfKill].map((path) => sterna(["exec", path])),
    );
    expect(oomRun!.status).toBe(137);
    expectOneCleanLine(oomRun!.stderr, /^sterna: process 1 killed: out of memory \(/);
    expect(neverRun!.status).toBe(137);
    expectOneCleanLine(
      neverRun!.stderr,
      /^sterna: process 1 killed: blocked forever in receive, with nothing left that could wake it$/,
    );
    expect(selfRun!.status).toBe(137);
    expectOneCleanLine(selfRun!.stderr, /^sterna: process 1 killed by itself/);
  });
});
