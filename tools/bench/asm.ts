// Assembler throughput: builds a 10,000-line NASM source (instructions with memory operands,
// forward and backward jumps of both sizes, local labels, data, a macro and %rep) and times
// `assemble` on it, as ELF and as a flat binary. Target: under 1 s per 10,000 lines.
// Run: npx tsx tools/bench/asm.ts [lines]

import { assemble } from "../asm/assemble.ts";

const linesWanted = Number(process.argv[2] ?? 10_000);
const runs = 5;

function buildSource(lineCount: number): string {
  const lines = [
    "bits 32",
    "%macro save 2",
    "  push %1",
    "  push %2",
    "%endmacro",
    "section .text",
    "global _start",
    "_start:",
  ];
  let block = 0;
  while (lines.length < lineCount - 4) {
    const next = block + 1;
    lines.push(
      `block${block}:`,
      "  mov eax, [ebx+esi*4+table-8]",
      "  add eax, 1000",
      "  cmp eax, 5",
      `  jne block${next}`,
      ".inner:",
      "  lea ecx, [eax+eax*2+12]",
      "  sub ecx, [ebp-8]",
      "  save eax, ecx",
      `  jz .inner`,
      `  mov dword [counter], ${block}`,
      "  shl eax, 3",
      "  test al, 0x80",
      `  jmp near block${next}`,
      "  %rep 2",
      "    nop",
      "  %endrep",
      `data${block}: db "block", ${block % 256}, 0`,
    );
    block++;
  }
  lines.push(`block${block}:`, "  ret", "section .data", "table: dd 1, 2, 3, 4", "counter: dd 0");
  return `${lines.join("\n")}\n`;
}

const source = buildSource(linesWanted);
const lineCount = source.split("\n").length - 1;
for (const format of ["elf", "bin"] as const) {
  const timesMs: number[] = [];
  let outputBytes = 0;
  for (let run = 0; run < runs; run++) {
    const startedMs = performance.now();
    const result = assemble(source, { fileName: "bench.asm", format });
    timesMs.push(performance.now() - startedMs);
    if (!result.ok) {
      console.error(result.diagnostics.slice(0, 5));
      process.exit(1);
    }
    outputBytes = result.output!.length;
  }
  timesMs.sort((a, b) => a - b);
  const medianMs = timesMs[Math.floor(runs / 2)]!;
  console.log(
    `${format}: ${lineCount} lines -> ${outputBytes} bytes; median ${medianMs.toFixed(0)} ms ` +
      `(range ${timesMs[0]!.toFixed(0)}..${timesMs[runs - 1]!.toFixed(0)} ms over ${runs} runs), ` +
      `${Math.round(lineCount / (medianMs / 1000))} lines/s`,
  );
}
