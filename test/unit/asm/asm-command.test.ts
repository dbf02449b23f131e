// `sterna asm`: writes the ELF (executable bits set) or the flat binary, honours -I, writes a
// listing, prints diagnostics on stderr with status 1 and no output file on errors, and says
// one line with status 2 when a file cannot be read.

import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { registerAsm } from "../../../tools/cli/asm-command.ts";
import { fixturesDir, userlandIncludeDir } from "./fixture-files.ts";

let dir: string;
let stderr: string;

async function sterna(...args: string[]): Promise<number> {
  const program = new Command("sterna").exitOverride();
  registerAsm(program);
  process.exitCode = undefined;
  await program.parseAsync(["node", "sterna", ...args]);
  const status = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return status;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sterna-asm-cli-"));
  stderr = "";
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
});

afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

describe("sterna asm", () => {
  it("writes an executable ELF with the include path and a listing", async () => {
    const source = join(dir, "hello.asm");
    writeFileSync(
      source,
      '%include "sterna.inc"\n_start:\n  sys_write 1, msg, 3\n  sys_exit 0\nmsg: db "hi", 10\n',
    );
    const output = join(dir, "hello");
    const listing = join(dir, "hello.lst");
    const status = await sterna(
      "asm",
      source,
      "-o",
      output,
      "-I",
      userlandIncludeDir,
      "-l",
      listing,
    );
    expect(stderr).toBe("");
    expect(status).toBe(0);
    const file = readFileSync(output);
    expect([...file.subarray(0, 4)]).toEqual([0x7f, 0x45, 0x4c, 0x46]);
    expect(statSync(output).mode & 0o111).toBe(0o111);
    const lines = readFileSync(listing, "utf8").trim().split("\n");
    expect(lines.at(-1)).toMatch(/hello\.asm:5\t[0-9A-F]{8}\t68690A\tmsg: db "hi", 10$/);
  });

  it("finds sterna.inc without -I, as boot does", async () => {
    const source = join(dir, "bye.asm");
    writeFileSync(source, '%include "sterna.inc"\n_start:\n  sys_exit 3\n');
    const output = join(dir, "bye");
    expect(await sterna("asm", source, "-o", output)).toBe(0);
    expect(stderr).toBe("");
    expect(existsSync(output)).toBe(true);
  });

  it("writes nasm's flat binary with -f bin", async () => {
    const output = join(dir, "out.bin");
    const status = await sterna(
      "asm",
      join(fixturesDir, "bootsector.asm"),
      "-f",
      "bin",
      "-o",
      output,
    );
    expect(status).toBe(0);
    expect(
      readFileSync(output).equals(readFileSync(join(fixturesDir, "bootsector.nasm.bin"))),
    ).toBe(true);
  });

  it("prints every diagnostic, exits 2 and writes nothing when there are errors", async () => {
    const source = join(dir, "bad.asm");
    writeFileSync(source, "bits 32\nstart:\n  nop\n  movx eax, 1\n  jmp nowhere\n");
    const output = join(dir, "bad");
    const status = await sterna("asm", source, "-o", output);
    expect(status).toBe(2);
    expect(existsSync(output)).toBe(false);
    expect(stderr).toBe(
      `${source}:4:3: error: unknown instruction \`movx'\n${source}:5:7: error: symbol \`nowhere' not defined\n`,
    );
  });

  it("says one line and exits 2 for a missing source file", async () => {
    const status = await sterna("asm", join(dir, "missing.asm"));
    expect(status).toBe(2);
    expect(stderr).toBe(`sterna: asm: ${join(dir, "missing.asm")}: no such file or directory\n`);
  });
});
