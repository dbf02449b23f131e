// Errors that stop a program from being loaded: the image is malformed (ElfError, in elf.ts)
// or it cannot fit (arguments too long, not enough memory). The CLI prints the message as
// one line, so each message names what is wrong and where.

export class LoadError extends Error {
  override name = "LoadError";
}
