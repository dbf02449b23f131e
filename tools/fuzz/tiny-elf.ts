// The smallest static i386 executable the kernel loads: one PT_LOAD segment (read, write,
// execute) at 0x08048000 holding the headers, then `code` at the entry point, then `bssBytes`
// of zeroes in memory only. The fuzzer wraps random code and syscall sequences in it.

export const tinyElfBaseAddress = 0x08048000;
const headerBytes = 52 + 32;
export const tinyElfEntryAddress = tinyElfBaseAddress + headerBytes;

export function tinyElf(code: Uint8Array, bssBytes = 0): Uint8Array {
  const image = new Uint8Array(headerBytes + code.length);
  const view = new DataView(image.buffer);
  image.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1]);
  view.setUint16(16, 2, true); // ET_EXEC
  view.setUint16(18, 3, true); // EM_386
  view.setUint32(20, 1, true);
  view.setUint32(24, tinyElfEntryAddress, true);
  view.setUint32(28, 52, true); // e_phoff
  view.setUint16(40, 52, true); // e_ehsize
  view.setUint16(42, 32, true);
  view.setUint16(44, 1, true);
  view.setUint32(52, 1, true); // PT_LOAD
  view.setUint32(56, 0, true);
  view.setUint32(60, tinyElfBaseAddress, true);
  view.setUint32(64, tinyElfBaseAddress, true);
  view.setUint32(68, image.length, true);
  view.setUint32(72, image.length + bssBytes, true);
  view.setUint32(76, 7, true); // R W X
  view.setUint32(80, 0x1000, true);
  image.set(code, headerBytes);
  return image;
}
