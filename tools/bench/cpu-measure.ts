// The CPU benchmark's measurements, shared by `npm run bench` (tools/bench/cpu.ts) and
// `sterna bench cpu`: each workload (a gcc -m32 -O2 program committed as an ELF) runs in this
// process through runExecutable, so sterna's figure excludes Node's start-up, and under
// qemu-i386 when it is installed, whose start-up (the empty program's time) is subtracted.
// Start-up is reported apart: qemu-i386's, and `sterna exec`'s for the empty program.
// Times are CPU time (user + system: this process's, qemu's through /usr/bin/time), so that
// other load on a shared host does not skew the ratio; wall times are reported too. Outputs
// must agree; the best of `runs` runs is kept.

import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runExecutable } from "../../kernel/run-executable.ts";

// Two folders deep here and in the CLI bundle (dist/cli), so the root is found from either.
const repositoryRoot = join(import.meta.dirname, "..", "..");
const programs = join(repositoryRoot, "tools", "bench", "programs");

export interface CpuWorkload {
  readonly name: string;
  readonly binary: string;
  readonly args: readonly string[];
}

export const cpuWorkloads: readonly CpuWorkload[] = [
  { name: "c-bench", binary: join(programs, "cpu-bench.elf"), args: ["20"] },
  {
    name: "coremark",
    binary: join(programs, "coremark.elf"),
    args: ["0x0", "0x0", "0x66", "3000"],
  },
];

export const emptyProgram = join(programs, "empty.elf");

export interface WorkloadResult {
  name: string;
  args: readonly string[];
  instructions: number;
  /** CPU time. */
  sternaMs: number;
  sternaWallMs: number;
  /** Instructions per microsecond of CPU time. */
  guestMips: number;
  /** qemu-i386's CPU time minus its start-up, when qemu is installed. */
  qemuMs?: number;
  qemuWallMs?: number;
  /** qemu's time over sterna's: 0.25 means sterna runs at a quarter of qemu's speed. */
  speedRatio?: number;
  outputsAgree?: boolean;
}

export interface CpuBenchReport {
  runs: number;
  workloads: WorkloadResult[];
  /** CPU time of qemu-i386 running the empty program. */
  qemuStartupMs?: number;
  /** Wall time of `node bin/sterna.js exec` of the empty program. */
  sternaStartupMs: number;
}

interface Timed {
  cpuMs: number;
  wallMs: number;
}

function bestOf<T extends Timed>(runs: number, measure: () => T | undefined) {
  let fastest: T | undefined;
  for (let i = 0; i < runs; i++) {
    const m = measure();
    if (m === undefined) return undefined;
    if (fastest === undefined || m.cpuMs < fastest.cpuMs) fastest = m;
  }
  return fastest;
}

function cpuMsOfThisProcess(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

function runSterna(workload: CpuWorkload) {
  const image = new Uint8Array(readFileSync(workload.binary));
  const startMs = performance.now();
  const startCpuMs = cpuMsOfThisProcess();
  const result = runExecutable(image, { argv: [workload.name, ...workload.args] });
  const cpuMs = cpuMsOfThisProcess() - startCpuMs;
  const wallMs = performance.now() - startMs;
  if (result.status !== 0) {
    throw new Error(`sterna: ${workload.name} exited with status ${result.status}`);
  }
  const stdout = Buffer.from(result.stdout).toString("latin1");
  return { cpuMs, wallMs, stdout, instructions: result.instructions };
}

const timeFormat = "sterna-bench-cpu %U %S";

/** Runs qemu-i386 under /usr/bin/time for its CPU time; undefined when either is missing. */
function runQemu(binary: string, args: readonly string[]) {
  const startMs = performance.now();
  const run = spawnSync("/usr/bin/time", ["-f", timeFormat, "qemu-i386", binary, ...args], {
    encoding: "latin1",
  });
  const wallMs = performance.now() - startMs;
  const times = /sterna-bench-cpu ([\d.]+) ([\d.]+)\s*$/.exec(run.stderr ?? "");
  if (run.error || times === null) return undefined;
  if (run.status !== 0) throw new Error(`qemu-i386: ${binary} exited with status ${run.status}`);
  const cpuMs = (Number(times[1]) + Number(times[2])) * 1000;
  return { cpuMs, wallMs, stdout: run.stdout };
}

/** Start-up as a user sees it: the wall time of `sterna exec` (CPU time is not what waits). */
function runSternaExec(binary: string) {
  const startMs = performance.now();
  const run = spawnSync(process.execPath, [
    join(repositoryRoot, "bin", "sterna.js"),
    "exec",
    binary,
  ]);
  const wallMs = performance.now() - startMs;
  if (run.status !== 0) throw new Error(`sterna exec ${binary} exited with status ${run.status}`);
  return { wallMs, cpuMs: wallMs };
}

export function measureCpu(runs: number): CpuBenchReport {
  const qemuStartup = bestOf(runs, () => runQemu(emptyProgram, []));
  const sternaStartup = bestOf(runs, () => runSternaExec(emptyProgram))!;
  const workloads = cpuWorkloads.map((workload): WorkloadResult => {
    const sterna = bestOf(runs, () => runSterna(workload))!;
    const result: WorkloadResult = {
      name: workload.name,
      args: workload.args,
      instructions: sterna.instructions,
      sternaMs: sterna.cpuMs,
      sternaWallMs: sterna.wallMs,
      guestMips: sterna.instructions / sterna.cpuMs / 1000,
    };
    const qemu = qemuStartup && bestOf(runs, () => runQemu(workload.binary, workload.args));
    if (qemu !== undefined && qemuStartup !== undefined) {
      result.qemuMs = Math.max(qemu.cpuMs - qemuStartup.cpuMs, 0);
      result.qemuWallMs = qemu.wallMs;
      result.speedRatio = result.qemuMs / sterna.cpuMs;
      result.outputsAgree = qemu.stdout === sterna.stdout;
    }
    return result;
  });
  return {
    runs,
    workloads,
    qemuStartupMs: qemuStartup?.cpuMs,
    sternaStartupMs: sternaStartup.wallMs,
  };
}

/**
 * The report as JSON lines, one object per line with a `bench` key and the units in the key
 * names, as the other benches print them: one line per workload, then the start-up line.
 */
export function cpuReportJsonLines(report: CpuBenchReport): string[] {
  const lines = report.workloads.map((w) =>
    JSON.stringify({
      bench: "cpu",
      workload: w.name,
      args: w.args,
      runs: report.runs,
      instructions: w.instructions,
      sterna_cpu_ms: w.sternaMs,
      sterna_wall_ms: w.sternaWallMs,
      guest_mips: w.guestMips,
      qemu_cpu_ms: w.qemuMs ?? null,
      qemu_wall_ms: w.qemuWallMs ?? null,
      speed_ratio: w.speedRatio ?? null,
      outputs_agree: w.outputsAgree ?? null,
    }),
  );
  lines.push(
    JSON.stringify({
      bench: "startup",
      runs: report.runs,
      sterna_exec_wall_ms: report.sternaStartupMs,
      qemu_cpu_ms: report.qemuStartupMs ?? null,
    }),
  );
  return lines;
}

/** The report as lines for a terminal. */
export function formatCpuReport(report: CpuBenchReport): string[] {
  const lines: string[] = [];
  for (const w of report.workloads) {
    let line = `${w.name.padEnd(9)} ${w.instructions} instructions, ${w.sternaMs.toFixed(0)} ms CPU (${w.sternaWallMs.toFixed(0)} wall), ${w.guestMips.toFixed(1)} guest MIPS`;
    if (w.qemuMs !== undefined) {
      line += `; qemu-i386 ${w.qemuMs.toFixed(0)} ms CPU: ${w.speedRatio!.toFixed(3)}x qemu's speed`;
      if (!w.outputsAgree) line += " (OUTPUTS DIFFER)";
    }
    lines.push(line);
  }
  lines.push(
    `start-up  sterna exec (empty program) ${report.sternaStartupMs.toFixed(0)} ms` +
      (report.qemuStartupMs === undefined
        ? "; qemu-i386 not installed"
        : `; qemu-i386 ${report.qemuStartupMs.toFixed(0)} ms CPU (subtracted from its times)`),
  );
  lines.push(`best of ${report.runs} runs each`);
  return lines;
}
