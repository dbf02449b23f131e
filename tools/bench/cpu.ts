// CPU benchmark (`npm run bench`): the C bench (tools/bench/programs/cpu-bench.c: prime sieve,
// CRC-32, quicksort, integer matrix product, byte scanning) and EEMBC CoreMark 3000 iterations
// (tools/bench/programs/coremark, the upstream sources with a small port layer), under sterna
// and qemu-i386, start-up measured apart (see cpu-measure.ts). The committed binaries are
// used, so neither gcc nor qemu is needed; --rebuild recompiles them first (needs
// gcc-multilib and nasm), and with them branch-phases.c, which docs/cpu.md measures by hand.
// `sterna bench cpu` reports the same measurements.
// Run: npm run bench -- [--runs N] [--json] [--rebuild]

import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { cpuReportJsonLines, formatCpuReport, measureCpu } from "./cpu-measure.ts";

const programs = join(import.meta.dirname, "programs");
const gccFlags = [
  "-m32",
  "-O2",
  "-static",
  "-nostdlib",
  "-ffreestanding",
  "-fno-pic",
  "-no-pie",
  "-fno-stack-protector",
  "-fno-asynchronous-unwind-tables",
];

function rebuild(): void {
  for (const name of ["cpu-bench", "branch-phases"]) {
    execFileSync(
      "gcc",
      [...gccFlags, "-o", join(programs, `${name}.elf`), join(programs, `${name}.c`)],
      {
        stdio: "inherit",
      },
    );
  }
  const coremark = join(programs, "coremark");
  const sources = readdirSync(coremark)
    .filter((name) => name.endsWith(".c"))
    .map((name) => join(coremark, name));
  execFileSync(
    "gcc",
    [...gccFlags, `-I${coremark}`, "-o", join(programs, "coremark.elf"), ...sources, "-lgcc"],
    { stdio: "inherit" },
  );
  const object = join(programs, "empty.o");
  execFileSync("nasm", ["-f", "elf32", "-o", object, join(programs, "empty.asm")]);
  execFileSync("ld", ["-m", "elf_i386", "-o", join(programs, "empty.elf"), object]);
  execFileSync("rm", [object]);
}

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    json: { type: "boolean", default: false },
    rebuild: { type: "boolean", default: false },
  },
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1 || runs > 100) {
  console.error("bench: --runs must be an integer from 1 to 100");
  process.exit(2);
}
if (values.rebuild) rebuild();
const report = measureCpu(runs);
if (values.json) for (const line of cpuReportJsonLines(report)) console.log(line);
else for (const line of formatCpuReport(report)) console.log(line);
if (report.workloads.some((w) => w.outputsAgree === false)) {
  console.error("bench: sterna and qemu-i386 printed different output");
  process.exitCode = 1;
}
