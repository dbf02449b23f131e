// The files the fuzzer starts from: the kernel tests' small ELF executables (hello, args, brk,
// cat, sieve, syscalls, stack growth), read once from the repository.

import { readFileSync } from "node:fs";

const fixtureNames = ["hello", "args", "brk", "cat", "sieve", "syscalls", "stack-growth"];
const fixtureDirectory = new URL("../../test/unit/kernel/fixtures/", import.meta.url);

let cached: Map<string, Uint8Array> | undefined;

export function corpusElfs(): Map<string, Uint8Array> {
  cached ??= new Map(
    fixtureNames.map((name) => [
      name,
      new Uint8Array(readFileSync(new URL(`${name}.elf`, fixtureDirectory))),
    ]),
  );
  return cached;
}

export function corpusElfPath(name: string): string {
  return new URL(`${name}.elf`, fixtureDirectory).pathname;
}
