// The stack a new process starts with, laid out as Linux i386 does at execve: esp points at
// argc, then the argv pointers and a NULL, an empty envp (just its NULL), then the auxiliary
// vector (AT_PAGESZ, AT_NULL); the argument strings sit above, under the top of the stack.
// Environment strings and the other auxv entries (AT_RANDOM, AT_PHDR, ...) are left out.

import { pageSizeBytes } from "../memory/user-layout.ts";
import { LoadError } from "./load-error.ts";

const auxTypeNull = 0;
const auxTypePageSize = 6;

/** Total bytes of argument strings accepted, like Linux's 128 KiB per-string limit. */
export const argumentBytesMax = 128 * 1024;

export interface InitialStack {
  /** The bytes from `stackPointer` up to the top address. */
  bytes: Uint8Array;
  stackPointer: number;
}

export function buildInitialStack(argv: readonly string[], topAddress: number): InitialStack {
  const encoder = new TextEncoder();
  const strings = argv.map((arg) => encoder.encode(arg));
  const stringBytes = strings.reduce((sum, s) => sum + s.length + 1, 0);
  if (stringBytes > argumentBytesMax) {
    throw new LoadError(
      `arguments take ${stringBytes} bytes, more than the ${argumentBytesMax} allowed`,
    );
  }
  // Four zero bytes end the string area, as on Linux.
  const stringsAddress = topAddress - 4 - stringBytes;
  const auxv = [auxTypePageSize, pageSizeBytes, auxTypeNull, 0];
  const wordCount = 1 + argv.length + 1 + 1 + auxv.length;
  // The i386 psABI wants esp 16-byte aligned at process entry.
  const stackPointer = ((stringsAddress - wordCount * 4) & ~15) >>> 0;
  const bytes = new Uint8Array(topAddress - stackPointer);
  const view = new DataView(bytes.buffer);
  let wordOffset = 0;
  const putWord = (value: number) => {
    view.setUint32(wordOffset, value >>> 0, true);
    wordOffset += 4;
  };
  putWord(argv.length);
  let stringAddress = stringsAddress;
  for (const s of strings) {
    putWord(stringAddress);
    bytes.set(s, stringAddress - stackPointer);
    stringAddress += s.length + 1;
  }
  putWord(0);
  putWord(0);
  for (const word of auxv) putWord(word);
  return { bytes, stackPointer };
}
