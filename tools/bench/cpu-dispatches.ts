// Counts where the CPU's time goes between blocks for the CPU bench's workloads
// (cpu-measure.ts): instructions, compiled blocks, block runs the run loop dispatched, and
// the CPU time of the run in this process, all threads and the main thread alone (the rest
// is mostly V8 compiling and collecting garbage). With --repeat N the workload runs N times on fresh machines in this
// process, one line each: block functions are shared by source (block-compiler.ts), so the
// later runs show the speed of optimised blocks without the JIT's warm-up, which a user of
// `sterna exec` always pays and `sterna bench cpu` measures.
// --compile-threshold sets CpuOptions.compileThreshold (block-cache.ts's default otherwise).
// --generic-calls also counts the calls compiled blocks make to the interpreter's generic
// handler (Cpu.executeGeneric, which only blocks call), by ISA row and operand shape: the
// instruction forms block-compiler.ts has no inline code for. The count costs time: the CPU
// times of such a run are not comparable.
// Run: npx tsx tools/bench/cpu-dispatches.ts [--repeat N] [--compile-threshold T]
//   [--generic-calls] [c-bench|coremark [args...]]

import { existsSync, readFileSync } from "node:fs";
import { cpuUsage } from "node:process";
import { parseArgs } from "node:util";
import { Kernel } from "../../kernel/kernel.ts";
import { compileThreshold } from "../../vm/cpu/block-cache.ts";
import type { Cpu } from "../../vm/cpu/cpu.ts";
import { LOCATION_MEMORY } from "../../vm/cpu/decoded-instructions.ts";
import { isaRows } from "../../vm/cpu/isa.ts";
import { Machine } from "../../vm/machine.ts";
import { cpuWorkloads, namedWorkload } from "./cpu-measure.ts";

const { values, positionals } = parseArgs({
  options: {
    repeat: { type: "string", default: "1" },
    "compile-threshold": { type: "string", default: String(compileThreshold) },
    "generic-calls": { type: "boolean", default: false },
  },
  allowPositionals: true,
});
const repeat = Number(values.repeat);
const threshold = Number(values["compile-threshold"]);
const workload = namedWorkload(positionals.length > 0 ? positionals : ["c-bench"]);
if (
  workload === undefined ||
  !Number.isInteger(repeat) ||
  repeat < 1 ||
  repeat > 100 ||
  !Number.isInteger(threshold) ||
  threshold < 0 ||
  threshold > 255
) {
  console.error(
    `cpu-dispatches: usage: [--repeat 1..100] [--compile-threshold 0..255] [--generic-calls] [${cpuWorkloads.map((w) => w.name).join("|")} [args...]]`,
  );
  process.exit(2);
}
const args = workload.args;
const image = readFileSync(workload.binary);

/** CPU time of this process's main thread (Linux; NaN elsewhere), in ms. */
function mainThreadMs(): number {
  const statPath = `/proc/self/task/${process.pid}/stat`;
  if (!existsSync(statPath)) return Number.NaN;
  const fields = readFileSync(statPath, "utf8").split(") ")[1]!.split(" ");
  // utime and stime (fields 14 and 15 of stat), in clock ticks of 10 ms.
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Counts the generic-handler calls of `cpu`'s compiled blocks into `calls`, by instruction form. */
function countGenericCalls(cpu: Cpu, calls: Map<string, number>): void {
  const store = cpu.cache.store;
  const shapeOf = (location: number) =>
    location === LOCATION_MEMORY ? "m" : location < 8 ? "r" : "-";
  const generic = cpu.executeGeneric.bind(cpu);
  cpu.executeGeneric = (slot: number) => {
    const row = isaRows[store.row[slot]!]!;
    const count = store.imm[slot]! < 0 && row.operands.includes("cl") ? " by cl" : "";
    const form = `${row.mnemonic} ${row.operands.join(",")} /${row.operandSize} ${shapeOf(store.dst[slot]!)}${count}`;
    calls.set(form, (calls.get(form) ?? 0) + 1);
    generic(slot);
  };
}

for (let run = 1; run <= repeat; run++) {
  const machine = new Machine({ compileThreshold: threshold });
  const kernel = new Kernel(machine, {
    readInput: () => new Uint8Array(0),
    onOutput: () => undefined,
    processMemoryBytesMax: machine.memoryBytes,
  });
  const genericCalls = new Map<string, number>();
  if (values["generic-calls"]) countGenericCalls(machine.cpu, genericCalls);
  const started = cpuUsage();
  const mainStartedMs = mainThreadMs();
  const guest = kernel.exec(image, [workload.binary, ...args]);
  kernel.run();
  const used = cpuUsage(started);
  const cpu = machine.cpu;
  console.log(
    JSON.stringify({
      bench: "cpu-dispatches",
      workload: workload.name,
      args,
      run,
      compile_threshold: threshold,
      status: guest.exitStatus,
      instructions: cpu.instructions,
      compiled_blocks: cpu.compiledBlocks,
      side_paths: cpu.compiledSidePaths,
      dispatches: cpu.blockDispatches,
      cpu_ms: (used.user + used.system) / 1000,
      main_thread_cpu_ms: mainThreadMs() - mainStartedMs,
      ...(values["generic-calls"]
        ? {
            generic_calls: [...genericCalls.values()].reduce((sum, n) => sum + n, 0),
            generic_calls_by_form: Object.fromEntries(
              [...genericCalls].sort((a, b) => b[1] - a[1]),
            ),
          }
        : {}),
    }),
  );
}
