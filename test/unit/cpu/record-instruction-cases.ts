// Records the expected results of instruction-cases.ts under qemu-i386 (run at development
// time; the tests read only the committed fixture). For each case it assembles, with nasm,
// one tiny static ELF (headers written in the source, text at 0x400000, 16 KiB of zeroed
// data at 0x600000) that sets the registers and EFLAGS, runs the case, and writes the
// registers + EFLAGS (pushfd; pushad) and 64 scratch bytes to stdout. The same bytes run
// under sterna in instructions.test.ts.
//   npx tsx test/unit/cpu/record-instruction-cases.ts
// Writes test/unit/cpu/fixtures/instruction-cases.json. Needs nasm and qemu-i386.

import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultRegs, type InstructionCase, instructionCases } from "./instruction-cases.ts";

export const dumpBytes = 36 + 64;

function caseSource(c: InstructionCase): string {
  const regs = { ...defaultRegs, ...c.regs };
  return `bits 32
org 0x400000
  db 0x7f, "ELF", 1, 1, 1, 0
  times 8 db 0
  dw 2, 3
  dd 1, start, program_headers - $$, 0, 0
  dw 52, 32, 2, 0, 0, 0
program_headers:
  dd 1, 0, $$, $$, file_bytes, file_bytes, 5, 0x1000
  dd 1, 0, 0x600000, 0x600000, 0, 0x4000, 6, 0x1000
start:
  mov esp, 0x603ff0
  push dword ${c.flags ?? 0}
  popfd
  mov eax, ${regs.eax}
  mov ecx, ${regs.ecx}
  mov edx, ${regs.edx}
  mov ebx, ${regs.ebx}
  mov ebp, ${regs.ebp}
  mov esi, ${regs.esi}
  mov edi, ${regs.edi}
case:
${c.code}
dump:
  pushfd
  pushad
  mov ecx, esp
  mov edx, 36
  mov ebx, 1
  mov eax, 4
  int 0x80
  mov ecx, 0x600000
  mov edx, 64
  mov ebx, 1
  mov eax, 4
  int 0x80
  mov eax, 1
  xor ebx, ebx
  int 0x80
file_bytes equ $ - $$
`;
}

function main(): void {
  const dir = mkdtempSync(join(tmpdir(), "sterna-cases-"));
  const records = [];
  try {
    for (const c of instructionCases) {
      const source = join(dir, "case.asm");
      const image = join(dir, "case.elf");
      writeFileSync(source, caseSource(c));
      execFileSync("nasm", ["-f", "bin", "-o", image, source]);
      chmodSync(image, 0o755);
      const run = spawnSync("qemu-i386", [image], { maxBuffer: 1 << 20 });
      if (run.status !== 0 || run.stdout.length !== dumpBytes) {
        throw new Error(`${c.name}: qemu-i386 status ${run.status}, ${run.stdout.length} bytes`);
      }
      records.push({
        name: c.name,
        defined: c.defined,
        image: readFileSync(image).toString("hex"),
        expected: run.stdout.toString("hex"),
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const out = join(import.meta.dirname, "fixtures", "instruction-cases.json");
  writeFileSync(out, `${JSON.stringify(records, null, 1)}\n`);
  console.log(`${records.length} cases recorded in ${out}`);
}

main();
