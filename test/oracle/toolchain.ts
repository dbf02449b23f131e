// The host tools the oracle fixtures come from: nasm + ld (stream and fault programs), gcc -m32
// (C programs) and qemu-i386 (the reference CPU). Used by record.ts and live.ts only; the vitest
// tests read committed fixtures and never need these tools.

import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { constants, tmpdir } from "node:os";
import { dirname, join } from "node:path";

export const requiredTools = ["nasm", "ld", "qemu-i386", "gcc", "nm"] as const;

export function toolAvailable(name: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore" }).status === 0;
}

export function missingTools(): string[] {
  return requiredTools.filter((tool) => !toolAvailable(tool));
}

/** Runs a tool; throws with its stderr when it fails. */
function run(command: string, args: string[], cwd?: string): void {
  const result = spawnSync(command, args, { cwd, encoding: "utf8" });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} failed:\n${result.stderr}${result.error ?? ""}`);
  }
}

/** A scratch directory removed by the callback's end. */
export function withScratchDir<T>(body: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), "sterna-oracle-"));
  try {
    return body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * nasm -f elf32 then ld -m elf_i386: a static i386 executable. nasm always reads the source as
 * "program.asm" in a scratch directory, so the ELF does not depend on where the checkout is;
 * `includeDir` is where its %include files are.
 */
export function assembleProgram(source: string, includeDir?: string): Uint8Array {
  return withScratchDir((dir) => {
    writeFileSync(join(dir, "program.asm"), source);
    const includeFlags = includeDir === undefined ? [] : [`-I${includeDir}/`];
    run("nasm", ["-f", "elf32", ...includeFlags, "-o", "program.o", "program.asm"], dir);
    run("ld", ["-m", "elf_i386", "-o", "program", "program.o"], dir);
    return new Uint8Array(readFileSync(join(dir, "program")));
  });
}

/** assembleProgram on a source file, with its own folder as the %include path. */
export function assembleFile(sourcePath: string): Uint8Array {
  return assembleProgram(readFileSync(sourcePath, "utf8"), dirname(sourcePath));
}

/** The address of a symbol in a linked executable, by `nm`. */
export function symbolAddress(image: Uint8Array, symbol: string): number {
  return withScratchDir((dir) => {
    writeFileSync(join(dir, "program"), image);
    const result = spawnSync("nm", ["program"], { cwd: dir, encoding: "utf8" });
    for (const line of result.stdout.split("\n")) {
      const [address, , name] = line.split(" ");
      if (name === symbol && address) return Number.parseInt(address, 16);
    }
    throw new Error(`nm: symbol ${symbol} not found`);
  });
}

/** The flags every C fixture is built with, besides the optimisation level. */
export const gccFlags = [
  "-m32",
  "-static",
  "-nostdlib",
  "-ffreestanding",
  "-fno-pic",
  "-no-pie",
  "-fno-stack-protector",
  "-fno-asynchronous-unwind-tables",
];

/** gcc -m32 with `optimisation` (-O0/-O2/-Os) over the given C files, linked with libgcc. */
export function compileC(files: string[], optimisation: string): Uint8Array {
  return withScratchDir((dir) => {
    const output = join(dir, "program");
    run("gcc", [...gccFlags, optimisation, "-o", output, ...files, "-lgcc"]);
    return new Uint8Array(readFileSync(output));
  });
}

export interface QemuResult {
  /** Exit status as a shell reports it: the guest's status, or 128 + signal. */
  status: number;
  stdout: Uint8Array;
  stderr: string;
}

/** Runs an image under qemu-i386 with argv = [name]. */
export function runQemu(image: Uint8Array, name: string): QemuResult {
  return withScratchDir((dir) => {
    const path = join(dir, name);
    writeFileSync(path, image, { mode: 0o755 });
    const result = spawnSync("qemu-i386", [path], { cwd: dir, maxBuffer: 256 * 1024 * 1024 });
    if (result.error) throw result.error;
    // qemu-i386 re-raises the guest's fatal signal on itself, so Node sees a signal name.
    const status =
      result.status ??
      128 + (constants.signals[result.signal as keyof typeof constants.signals] ?? 0);
    return { status, stdout: new Uint8Array(result.stdout), stderr: result.stderr.toString() };
  });
}
