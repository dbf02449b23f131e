// Host I/O failures reach the guest as Linux's errors (docs/abi.md): a write the host refuses
// returns its -errno (-ENOSPC), a closed pipe gives -EPIPE and SIGPIPE (status 141), a read
// the host refuses returns its -errno (-EISDIR); and the kernel says why it ended a process.

import { describe, expect, it } from "vitest";
import { runExecutable } from "../../../kernel/run-executable.ts";
import { assembleGuest } from "../node/boot-guests.ts";

/** Exits with minus what its call returned (so an errno becomes the status), 0 on success. */
function exitWithErrno(call: string, data: string): Uint8Array {
  return assembleGuest(
    `%include "sterna.inc"\nsection .text\nglobal _start\n_start:\n    ${call}\n    neg eax\n    js .ok\n    sys_exit eax\n.ok:\n    sys_exit 0\n${data}`,
  );
}

const writer = exitWithErrno("sys_write 1, message, 3", 'section .data\nmessage: db "hi", 10');
const reader = exitWithErrno("sys_read 0, buffer, 8", "section .bss\nbuffer: resb 8");

describe("host I/O failures as the guest's errors", () => {
  it("a write the host refuses returns its -errno (ENOSPC 28)", () => {
    expect(runExecutable(writer, { argv: ["w"], onStdout: () => -28 }).status).toBe(28);
  });

  it("a write to a closed pipe ends the process with SIGPIPE (141), saying so", () => {
    const result = runExecutable(writer, { argv: ["w"], onStdout: () => -32 });
    expect(result.status).toBe(141);
    expect(result.endReason).toBe("killed by SIGPIPE: it wrote to a pipe whose reader has gone");
  });

  it("a host that takes the bytes leaves write's result alone, whatever it returns", () => {
    expect(runExecutable(writer, { argv: ["w"], onStdout: () => 1 }).status).toBe(0);
    expect(runExecutable(writer, { argv: ["w"], onStdout: () => undefined }).status).toBe(0);
  });

  it("a read the host refuses returns its -errno (EISDIR 21)", () => {
    expect(runExecutable(reader, { argv: ["r"], stdin: () => -21 }).status).toBe(21);
  });
});
