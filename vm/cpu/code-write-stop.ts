// How a compiled block leaves before a store that would hit decoded code: the CPU drops that
// code (as the write would), then throws this one preallocated object from the block's slow
// store path; `Cpu.run` catches it, charges the instructions before the store as after a
// fault, and runs on from the store, which then finds nothing to invalidate. So blocks check
// nothing after their stores, and such a stop costs only on the rare slow path.

export class CodeWriteStop extends Error {
  constructor() {
    super("store into decoded code (internal signal of the CPU; never escapes Cpu.run)");
    this.name = "CodeWriteStop";
  }
}

export const codeWriteStop = new CodeWriteStop();
