// Load-sampling overhead: the share of the node's cycles the kernel spends recording load
// samples at timer ticks (kernelCosts.loadSampleCycles per tick, charged to virtual time), and
// as a cross-check the share of host time spent in LoadSampler.record. Two workloads over
// 10 s of virtual time: busy (two CPU-bound processes) and mostly idle (a process that
// sleeps 1 ms at a time). Goal: <= 1 % of cycles. Run: npm run bench:sampling
// (npx tsx tools/bench/sampling.ts [seconds]).

import { FileStore } from "../../kernel/files/file-store.ts";
import { Kernel } from "../../kernel/kernel.ts";
import { Machine } from "../../vm/machine.ts";
import { assemble } from "../asm/assemble.ts";

const virtualSeconds = Number(process.argv[2] ?? 10);

const workloads: { name: string; programs: string[]; source: string }[] = [
  {
    name: "busy: two CPU-bound processes",
    programs: ["spin.elf", "spin.elf"],
    source: "section .text\nglobal _start\n_start:\n    inc eax\n    jmp _start\n",
  },
  {
    name: "mostly idle: sleep 1 ms in a loop",
    programs: ["sleeper.elf"],
    source:
      "section .text\nglobal _start\n_start:\n    mov ebx, 1000\n    mov eax, 1005\n    int 0x80\n    jmp _start\n",
  },
];

for (const workload of workloads) {
  const assembled = assemble(workload.source, { fileName: "bench.asm", format: "elf" });
  if (!assembled.output) throw new Error("bench program does not assemble");
  const machine = new Machine();
  const files = new FileStore();
  for (const path of workload.programs) files.add(path, assembled.output);
  const kernel = new Kernel(machine, { files });
  for (const path of workload.programs) kernel.exec(files.find(path)!, [path]);
  let samplingHostMs = 0;
  const sampler = kernel.sampler;
  const record = sampler.record.bind(sampler);
  sampler.record = (idle, runQueue, processes, ticks) => {
    const startedMs = performance.now();
    record(idle, runQueue, processes, ticks);
    samplingHostMs += performance.now() - startedMs;
  };
  const startedMs = performance.now();
  kernel.runUntil(virtualSeconds * 1e9);
  const wallMs = performance.now() - startedMs;
  const cyclePercent = (kernel.samplingCycles / machine.cycles) * 100;
  const load = kernel.loadSnapshot();
  console.log(workload.name);
  console.log(`  samples ${sampler.totalSamples}, load ${(load.loadPermille / 10).toFixed(1)}%`);
  console.log(
    `  sampling cycles ${kernel.samplingCycles} of ${machine.cycles}: ${cyclePercent.toFixed(4)}% (goal <= 1%)`,
  );
  console.log(
    `  host time in sampling ${samplingHostMs.toFixed(2)} ms of ${wallMs.toFixed(0)} ms: ${((samplingHostMs / wallMs) * 100).toFixed(3)}%`,
  );
}
