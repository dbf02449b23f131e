// `sterna disasm`: the listing, --reassemble source that encodes back to the file's bytes,
// and one-line errors with status 2, through runDisasm in process; and twice end to end in a
// child process (the real stdout, stderr and exit status, and --help).

import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { encodeInstruction } from "../../../tools/asm/encode/index.ts";
import { type DisasmCommandOptions, runDisasm } from "../../../tools/cli/disasm-command.ts";
import { parseInstruction } from "../../oracle/asm/parse-instruction.ts";

const driver = join(import.meta.dirname, "run-disasm-command.ts");
const fixtures = join(import.meta.dirname, "fixtures");
const scratch = mkdtempSync(join(tmpdir(), "sterna-disasm-"));

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function runChild(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", driver, "disasm", ...args]);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

async function run(path: string, options: DisasmCommandOptions = {}): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const status = await runDisasm(path, options, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
  });
  return { status, stdout, stderr };
}

/** Encodes a reassembly source's lines (bits/org/section lines set the address). */
function encodeSource(source: string): Uint8Array {
  const out: number[] = [];
  let address = 0;
  for (const raw of source.split("\n")) {
    const line = raw.replace(/;.*$/, "").trim();
    const org = /^(?:org |section .*vstart=)(0x[0-9a-f]+)/.exec(line);
    if (org) {
      address = Number(org[1]);
      continue;
    }
    if (line === "" || line === "bits 32") continue;
    const bytes = line.startsWith("db ")
      ? line
          .slice(3)
          .split(",")
          .map((b) => Number(b.trim()))
      : (() => {
          const result = encodeInstruction(parseInstruction(line, address));
          if (!result.ok) throw new Error(`${line}: ${result.message}`);
          return [...result.bytes];
        })();
    out.push(...bytes);
    address += bytes.length;
  }
  return Uint8Array.from(out);
}

describe("sterna disasm", () => {
  // int 3; add eax, 5; jmp short back; 8b c3 (no NASM spelling); one byte of x87.
  const flat = Uint8Array.from([0xcd, 0x03, 0x83, 0xc0, 0x05, 0xeb, 0xf9, 0x8b, 0xc3, 0xd9]);
  const flatPath = join(scratch, "code.bin");
  writeFileSync(flatPath, flat);

  it("lists address, bytes and NASM text for a flat binary at --org", async () => {
    const { status, stdout } = await run(flatPath, { format: "bin", org: "0x1000" });
    expect(status).toBe(0);
    const lines = stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(5);
    // ndisasm -o 0x1000 spells the first instruction `int 0x3` too.
    expect(lines[0]).toMatch(/^00001000 {2}cd 03 +int 0x3$/);
    expect(lines[2]).toMatch(/^00001005 {2}eb f9 +jmp short 0x1000$/);
    expect(lines[3]).toMatch(/^00001007 {2}8b c3 +db 0x8b, 0xc3 ; mov eax, ebx$/);
  });

  it("--reassemble prints a source that encodes back to the same bytes", async () => {
    const { status, stdout } = await run(flatPath, { org: "4096", reassemble: true });
    expect(status).toBe(0);
    expect(stdout).toMatch(/^; .*\nbits 32\norg 0x1000\n/);
    expect(Buffer.from(encodeSource(stdout)).equals(Buffer.from(flat))).toBe(true);
  });

  it("--reassemble of an ELF file gives its executable segment's bytes", async () => {
    const { status, stdout } = await run(join(fixtures, "hello-headers.elf"), { reassemble: true });
    expect(status).toBe(0);
    const elf = readFileSync(join(fixtures, "hello-headers.elf"));
    // readelf: the R E segment is file bytes 0..0xb0 (fixtures/hello-headers.readelf.txt).
    expect(Buffer.from(encodeSource(stdout)).equals(elf.subarray(0, 0xb0))).toBe(true);
  });

  it.each([
    [
      "/nonexistent/file.bin",
      {},
      /^sterna: disasm: \/nonexistent\/file\.bin: no such file or directory$/,
    ],
    [flatPath, { format: "elf" }, /^sterna: disasm: .*code\.bin: not an ELF file/],
    [
      join(fixtures, "hello.elf"),
      { org: "0x1000" },
      /^sterna: disasm: --org applies to flat binaries/,
    ],
    [flatPath, { org: "banana" }, /^sterna: disasm: --org 'banana': not an address/],
  ] as const)("refuses %s %j with one line and status 2", async (path, options, pattern) => {
    const { status, stdout, stderr } = await run(path, options);
    expect(status).toBe(2);
    expect(stdout).toBe("");
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(stderr.trimEnd()).toMatch(pattern);
  });
});

describe.concurrent("sterna disasm as a process", () => {
  it("exits 2 with one line on stderr for a bad file", async () => {
    const { status, stdout, stderr } = await runChild("-f", "elf", join(fixtures, "hello.asm"));
    expect(status).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^sterna: disasm: .*hello\.asm: not an ELF file.*\n$/);
  });

  it("prints the listing of an ELF file and documents itself in --help", async () => {
    const [listing, help] = await Promise.all([
      runChild(join(fixtures, "hello.elf")),
      runChild("--help"),
    ]);
    expect(listing.status).toBe(0);
    expect(listing.stdout).toMatch(/^08049000 {2}b8 04 00 00 00 +mov eax, 0x4$/m);
    expect(help.status).toBe(0);
    for (const word of ["--format", "--org", "--reassemble", "elf", "bin"])
      expect(help.stdout).toContain(word);
  });
});
