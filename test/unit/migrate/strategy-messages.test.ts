// The pieces the memory strategies add, on their own: the copy-on-reference messages round-trip
// and a malformed page table is refused naming the field; the user memory a syscall may touch
// (which a copy-on-reference process fetches before the call runs) covers its buffers.

import { describe, expect, it } from "vitest";
import { MigrationFormatError } from "../../../kernel/migrate/byte-codec.ts";
import {
  decodeMigrationMessage,
  encodeMigrationMessage,
  type MigrationMessage,
  MigrationMessageKind,
} from "../../../kernel/migrate/migration-messages.ts";
import { encodePages } from "../../../kernel/migrate/process-image.ts";
import { forEachPageOf, syscallUserRanges } from "../../../kernel/migrate/syscall-buffers.ts";
import { SyscallNumber } from "../../../kernel/syscalls/syscall-numbers.ts";

describe("memory strategy messages", () => {
  it("round-trips the page table, fetch, reply and release", () => {
    const messages: MigrationMessage[] = [
      {
        kind: MigrationMessageKind.PageTable,
        requestId: 7,
        restAtSource: true,
        entries: [
          { linear: 0x1000, writable: false },
          { linear: 0x8000_0000, writable: true },
        ],
      },
      { kind: MigrationMessageKind.PageFetch, requestId: 7, linears: [0x1000, 0x2000] },
      {
        kind: MigrationMessageKind.PageReply,
        requestId: 7,
        result: 0,
        bytes: encodePages([{ linear: 0x1000, writable: false, bytes: new Uint8Array(4096) }]),
      },
      { kind: MigrationMessageKind.PagesReleased, requestId: 7 },
    ];
    for (const message of messages) {
      expect(decodeMigrationMessage(encodeMigrationMessage(message))).toEqual(message);
    }
  });

  it("refuses a page table out of order and a fetch of too many pages, naming the field", () => {
    const table = encodeMigrationMessage({
      kind: MigrationMessageKind.PageTable,
      requestId: 1,
      restAtSource: false,
      entries: [
        { linear: 0x2000, writable: true },
        { linear: 0x1000, writable: true },
      ],
    });
    expect(() => decodeMigrationMessage(table)).toThrow(MigrationFormatError);
    expect(() => decodeMigrationMessage(table)).toThrow(/entries\[1\]\.linear/);
    const fetch = encodeMigrationMessage({
      kind: MigrationMessageKind.PageFetch,
      requestId: 1,
      linears: Array.from({ length: 17 }, (_, index) => (index + 1) * 4096),
    });
    expect(() => decodeMigrationMessage(fetch)).toThrow(/linears count/);
  });
});

describe("the user memory a syscall covers", () => {
  const pages = (number: number, ebx: number, ecx: number, edx: number, brk = 0x10_0000) => {
    const found: number[] = [];
    for (const range of syscallUserRanges(number, ebx, ecx, edx, brk)) {
      forEachPageOf(range, (page) => found.push(page));
    }
    return found;
  };

  it("covers write's and receive's buffers page by page", () => {
    expect(pages(SyscallNumber.write, 1, 0x1ff0, 0x20)).toEqual([0x1000, 0x2000]);
    expect(pages(SyscallNumber.receive, 0x3000, 4096, 0)).toEqual([0x3000]);
    // A receive writes one message (4096 bytes) at most, whatever capacity it names.
    expect(pages(SyscallNumber.receive, 0x3000, 0x7fff_ffff, 0)).toEqual([0x3000]);
    expect(pages(SyscallNumber.getpid, 0x3000, 4096, 4096)).toEqual([]);
  });

  it("covers a brk shrink's dropped pages, and nothing for a growth", () => {
    expect(pages(SyscallNumber.brk, 0xe000, 0, 0, 0x10_0000)).toHaveLength(0xf2);
    expect(pages(SyscallNumber.brk, 0x20_0000, 0, 0, 0x10_0000)).toEqual([]);
  });

  it("stops at the end of user space", () => {
    expect(pages(SyscallNumber.write, 1, 0xbfff_f000, 0x10_0000)).toEqual([0xbfff_f000]);
  });
});
