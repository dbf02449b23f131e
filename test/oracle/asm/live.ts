// The live re-check for CI, against the installed NASM with a fresh seed (or --seed N):
//   npx tsx test/oracle/asm/live.ts [--seed N] [--random-instructions COUNT]
// 1. regenerates the encoder corpus in full (every row with every variant) and compares
//    sterna's encoder with NASM line by line; then the same lines in 16-bit code, where
//    forms the ISA table lacks (NASM's 16-bit `jmp [mem]`) are listed as gaps, not failures;
// 2. assembles the corpus source with sterna's assembler (tools/asm/assemble.ts) and compares
//    the whole binary with NASM's;
// 3. disassembles NASM's corpus binary and a stream of random instruction bytes, prints them
//    as `sterna disasm --reassemble` does, and checks NASM assembles that source into the
//    same bytes.
// 4. runs nasm again on every in-scope file of NASM's own test suite (nasm-suite/fixtures):
//    its bytes must still equal the recorded ones, and sterna must give them or an error.
// Exits 1 on any mismatch, printing the command that replays the run.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { assemble } from "../../../tools/asm/assemble.ts";
import { disassembleSegment, reassemblySource } from "../../../tools/disasm/index.ts";
import { instructionBytes, instructionChoice } from "../../unit/disasm/random-instruction-bytes.ts";
import { generateCorpus } from "./corpus-generator.ts";
import { compareWithEncoder, recordWithNasm, toHex } from "./corpus-records.ts";
import {
  assembleFileWithNasm,
  assembleSourceWithNasm,
  corpusOrigin,
  nasmVersion,
} from "./nasm-oracle.ts";
import { fixturesDir, readManifest, runSuiteFile } from "./nasm-suite/suite-files.ts";

function option(name: string): number | undefined {
  const at = process.argv.indexOf(name);
  return at < 0 ? undefined : Number(process.argv[at + 1]);
}

const seed = option("--seed") ?? Math.floor(Math.random() * 2 ** 31);
const randomInstructionCount = option("--random-instructions") ?? 20000;
const replay = `npx tsx test/oracle/asm/live.ts --seed ${seed} --random-instructions ${randomInstructionCount}`;
let failures = 0;

function report(title: string, problems: readonly string[]): void {
  console.log(
    `${problems.length === 0 ? "ok  " : "FAIL"} ${title}${problems.length ? `: ${problems.length} problems` : ""}`,
  );
  for (const problem of problems.slice(0, 20)) console.log(`     ${problem}`);
  if (problems.length > 0) failures++;
}

function firstDifference(a: Uint8Array, b: Uint8Array): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i === a.length && i === b.length ? -1 : i;
}

/** Disassembles `bytes` at `org`, reassembles the source with NASM, and compares. */
function reassemblyProblems(bytes: Uint8Array, org: number): string[] {
  const segment = { name: "code", address: org, bytes, dataPrefixBytes: 0 };
  const lines = disassembleSegment(segment);
  const source = reassemblySource([{ segment, lines }], `live seed ${seed}`);
  const nasm = assembleSourceWithNasm(source);
  if (!nasm.ok) return nasm.errors.split("\n").slice(0, 20);
  const at = firstDifference(nasm.bytes, bytes);
  if (at < 0) return [];
  const line = lines.find((l) => l.address + l.bytes.length > org + at);
  return [
    `first difference at 0x${(org + at).toString(16)}: ${line?.text} (${line ? toHex(line.bytes) : ""})`,
  ];
}

console.log(`${nasmVersion()}, seed ${seed}`);

const corpus = generateCorpus(seed, { linesPerRepeatedShape: Number.POSITIVE_INFINITY });
const records = recordWithNasm(corpus);
const accepted = records.filter((r) => r.bytes !== undefined);
report(
  `encoder vs NASM on ${records.length} lines (${accepted.length} accepted)`,
  compareWithEncoder(records).map((m) => `${m.text}  nasm: ${m.expected}  sterna: ${m.actual}`),
);

const corpus16 = generateCorpus(seed, { linesPerRepeatedShape: 4, bits: 16 });
const mismatches16 = compareWithEncoder(recordWithNasm(corpus16, 16));
const gap = /not supported|has no \d+-bit form/;
const gaps16 = mismatches16.filter((m) => gap.test(m.actual) && !m.expected.startsWith("error"));
report(
  `encoder vs NASM on ${corpus16.length} lines in 16-bit code (${gaps16.length} forms the ISA table lacks)`,
  mismatches16
    .filter((m) => !gaps16.includes(m))
    .map((m) => `${m.text}  nasm: ${m.expected}  sterna: ${m.actual}`),
);

const corpusSource = ["bits 32", `org ${corpusOrigin}`, ...accepted.map((r) => r.text)].join("\n");
const nasmBinary = Uint8Array.from(Buffer.from(accepted.map((r) => r.bytes).join(""), "hex"));
const sterna = assemble(corpusSource, { fileName: "live-corpus.asm", format: "bin" });
const assemblerProblems = sterna.ok
  ? firstDifference(sterna.output!, nasmBinary) < 0
    ? []
    : [`first difference at offset 0x${firstDifference(sterna.output!, nasmBinary).toString(16)}`]
  : sterna.diagnostics.map((d) => `${d.line}: ${d.message}`);
report("sterna's assembler vs NASM on the corpus source", assemblerProblems);

report(
  "disasm --reassemble of NASM's corpus binary, through NASM",
  reassemblyProblems(nasmBinary, corpusOrigin),
);

const stream = fc
  .sample(fc.tuple(instructionChoice), { seed, numRuns: randomInstructionCount })
  .flatMap(([choice]) => [...instructionBytes(choice)]);
const org = 0x08048000;
report(
  `disasm --reassemble of ${randomInstructionCount} random instructions (${stream.length} bytes), through NASM`,
  reassemblyProblems(Uint8Array.from(stream), org),
);

const suite = readManifest();
report(
  `NASM's test suite: ${suite.inScope.length} in-scope files, nasm vs its recording and sterna`,
  suite.inScope.flatMap((name) => {
    const nasm = assembleFileWithNasm(fixturesDir, name);
    const recorded = readFileSync(join(fixturesDir, name.replace(/\.asm$/, ".bin")));
    if (!nasm.ok || !Buffer.from(nasm.bytes).equals(recorded))
      return [`${name}: nasm no longer gives the recorded bytes`];
    const verdict = runSuiteFile(name);
    return verdict.kind === "different" ? [`${name}: different bytes without an error`] : [];
  }),
);

if (failures > 0) {
  console.log(`\nreplay: ${replay}`);
  process.exitCode = 1;
}
