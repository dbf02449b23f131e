// Reads the executable segments of a 32-bit little-endian i386 ELF file for the
// disassembler: each PT_LOAD segment with the execute flag, at its virtual address, with its
// bytes from the file (memory beyond the file size is not code). Where a segment also holds
// the ELF header and program header table (ld puts them at the start of the text segment),
// those leading bytes are reported so they can be shown as data. Section headers and
// symbols are not read. Malformed files give one message naming the field and its offset.

export interface ExecutableSegment {
  /** Index of the program header. */
  readonly index: number;
  readonly address: number;
  readonly bytes: Uint8Array;
  /** Leading bytes of `bytes` that are the ELF header and program headers, not code. */
  readonly headerBytes: number;
}

export type ElfReadResult =
  | { ok: true; entryAddress: number; segments: ExecutableSegment[] }
  | { ok: false; message: string };

const elfHeaderSizeBytes = 52;
const programHeaderMinBytes = 32;
const PT_LOAD = 1;
const PF_X = 1;
const EM_386 = 3;

function hex(value: number): string {
  return `0x${value.toString(16)}`;
}

export function isElf(file: Uint8Array): boolean {
  return (
    file.length >= 4 && file[0] === 0x7f && file[1] === 0x45 && file[2] === 0x4c && file[3] === 0x46
  );
}

export function readElfExecutableSegments(file: Uint8Array): ElfReadResult {
  const fail = (message: string): ElfReadResult => ({ ok: false, message });
  if (!isElf(file)) return fail("not an ELF file: e_ident[0..3] (offset 0) is not 7f 45 4c 46");
  if (file.length < elfHeaderSizeBytes) {
    return fail(
      `truncated ELF header: ${file.length} bytes, the ELF32 header needs ${elfHeaderSizeBytes}`,
    );
  }
  if (file[4] !== 1)
    return fail(`e_ident[EI_CLASS] (offset 4) is ${file[4]}: only ELF32 (1) is supported`);
  if (file[5] !== 1)
    return fail(`e_ident[EI_DATA] (offset 5) is ${file[5]}: only little-endian (1) is supported`);
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const machine = view.getUint16(18, true);
  if (machine !== EM_386)
    return fail(`e_machine (offset 18) is ${machine}: only EM_386 (3) is supported`);
  const entryAddress = view.getUint32(24, true);
  const tableOffset = view.getUint32(28, true);
  const entrySize = view.getUint16(42, true);
  const count = view.getUint16(44, true);
  if (count > 0 && entrySize < programHeaderMinBytes) {
    return fail(
      `e_phentsize (offset 42) is ${entrySize}: program headers are at least ${programHeaderMinBytes} bytes`,
    );
  }
  const tableEnd = tableOffset + count * entrySize;
  if (count > 0 && tableEnd > file.length) {
    return fail(
      `program header table (e_phoff ${hex(tableOffset)}, ${count} x ${entrySize} bytes) runs past the end of the file (${hex(file.length)} bytes)`,
    );
  }
  const headersEnd = count > 0 ? Math.max(elfHeaderSizeBytes, tableEnd) : elfHeaderSizeBytes;
  const segments: ExecutableSegment[] = [];
  for (let index = 0; index < count; index++) {
    const at = tableOffset + index * entrySize;
    if (view.getUint32(at, true) !== PT_LOAD || (view.getUint32(at + 24, true) & PF_X) === 0)
      continue;
    const offset = view.getUint32(at + 4, true);
    const address = view.getUint32(at + 8, true);
    const fileSize = view.getUint32(at + 16, true);
    if (offset + fileSize > file.length) {
      return fail(
        `program header ${index} (offset ${hex(at)}): p_offset ${hex(offset)} + p_filesz ${hex(fileSize)} runs past the end of the file (${hex(file.length)} bytes)`,
      );
    }
    const headerBytes = offset < headersEnd ? Math.min(fileSize, headersEnd - offset) : 0;
    segments.push({ index, address, bytes: file.subarray(offset, offset + fileSize), headerBytes });
  }
  if (segments.length === 0)
    return fail("no executable PT_LOAD segment (p_flags with PF_X) in the program headers");
  return { ok: true, entryAddress, segments };
}
