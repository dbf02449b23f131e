// The CPU benchmark's measurements, shared by `npm run bench` (tools/bench/cpu.ts) and
// `sterna bench cpu`: each workload (a gcc -m32 -O2 program committed as an ELF) runs as a
// fresh `sterna exec` process and, when it is installed, as a fresh qemu-i386 process, so
// both pay their JIT's warm-up as a user does; each one's start-up (its time for the empty
// program) is subtracted, and reported apart. Times are CPU time (user + system, from bash's
// `time` to the millisecond), so that other load on a shared host does not skew the ratio; a
// ratio of wall times (start-up subtracted from each too) is reported beside it, since CPU
// time also counts V8's compiler threads. Outputs must agree; the best of `runs` runs is kept.
// Not /usr/bin/time: GNU time truncates user and system time to 10 ms each, so qemu-i386's
// C bench (about 80 ms of CPU) read as 70 or 80 ms and its start-up (about 7 ms) as 0: the
// ratio moved in steps of about 14 %.

import { spawnSync } from "node:child_process";
import { join } from "node:path";

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

/** The CLI's entry, which the benches run as a user does. */
export const sternaEntry = join(repositoryRoot, "bin", "sterna.js");

/**
 * The workload `words[0]` names, with `words[1..]` as its arguments when there are any;
 * undefined for a name no workload has.
 */
export function namedWorkload(words: readonly string[]): CpuWorkload | undefined {
  const known = cpuWorkloads.find((w) => w.name === words[0]);
  if (known === undefined || words.length <= 1) return known;
  return { ...known, args: words.slice(1) };
}

export interface WorkloadResult {
  name: string;
  args: readonly string[];
  instructions: number;
  /** CPU time of `sterna exec` minus its start-up (the empty program's). */
  sternaMs: number;
  /** Wall time of `sterna exec`, start-up included. */
  sternaWallMs: number;
  /** Instructions per microsecond of CPU time. */
  guestMips: number;
  /** qemu-i386's CPU time minus its start-up, when qemu is installed. */
  qemuMs?: number;
  /** qemu-i386's wall time, start-up included. */
  qemuWallMs?: number;
  /** qemu's time over sterna's: 0.25 means sterna runs at a quarter of qemu's speed. */
  speedRatio?: number;
  /**
   * The same in wall time, each one's start-up (its wall time for the empty program)
   * subtracted: unlike CPU time it leaves out the work V8's compiler threads do beside the
   * guest on another core.
   */
  wallSpeedRatio?: number;
  outputsAgree?: boolean;
}

export interface CpuBenchReport {
  runs: number;
  workloads: WorkloadResult[];
  /** CPU time of qemu-i386 running the empty program. */
  qemuStartupMs?: number;
  /** Wall time of the same (subtracted from qemu's wall times for wallSpeedRatio). */
  qemuStartupWallMs?: number;
  /** Wall time of `node bin/sterna.js exec` of the empty program. */
  sternaStartupMs: number;
  /** CPU time of the same (subtracted from sterna's times). */
  sternaStartupCpuMs: number;
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

/** bash's `time` report, with 3 decimals (milliseconds), after the command's own stderr. */
const timedCommand = 'TIMEFORMAT="sterna-bench-cpu %3U %3S"; time "$@"';

interface ChildRun {
  /** User + system time through bash's `time`; undefined when bash is not installed. */
  cpuMs: number | undefined;
  wallMs: number;
  status: number | null;
  stdout: string;
  stderr: string;
  /** Whether the program could not be started at all. */
  missing: boolean;
}

/** Runs `command args` under bash's `time` when bash exists (else bare), timing it. */
function runTimed(command: string, args: readonly string[]): ChildRun {
  const startMs = performance.now();
  let run = spawnSync("bash", ["-c", timedCommand, "bash", command, ...args], {
    encoding: "latin1",
    maxBuffer: 64 * 1024 * 1024,
  });
  const timed = run.error === undefined;
  if (!timed) run = spawnSync(command, args, { encoding: "latin1", maxBuffer: 64 * 1024 * 1024 });
  const wallMs = performance.now() - startMs;
  const times = timed ? /sterna-bench-cpu ([\d.]+) ([\d.]+)\s*$/.exec(run.stderr ?? "") : null;
  return {
    cpuMs: times === null ? undefined : Math.round((Number(times[1]) + Number(times[2])) * 1000),
    wallMs,
    status: run.status,
    stdout: run.stdout ?? "",
    stderr: run.stderr ?? "",
    missing: run.error !== undefined || run.status === 127,
  };
}

/** qemu-i386's run; undefined when qemu-i386 (or bash) is not installed. */
function runQemu(binary: string, args: readonly string[]) {
  const run = runTimed("qemu-i386", [binary, ...args]);
  if (run.missing || run.cpuMs === undefined) return undefined;
  if (run.status !== 0) throw new Error(`qemu-i386: ${binary} exited with status ${run.status}`);
  return { cpuMs: run.cpuMs, wallMs: run.wallMs, stdout: run.stdout };
}

/** `sterna exec --stats` in a fresh process: its CPU time (wall time without bash). */
function runSternaExec(binary: string, args: readonly string[]) {
  const run = runTimed(process.execPath, [sternaEntry, "exec", "--stats", binary, ...args]);
  if (run.status !== 0) throw new Error(`sterna exec ${binary} exited with status ${run.status}`);
  const instructions = Number(/sterna: instructions (\d+)/.exec(run.stderr)?.[1] ?? Number.NaN);
  return { cpuMs: run.cpuMs ?? run.wallMs, wallMs: run.wallMs, stdout: run.stdout, instructions };
}

export function measureCpu(runs: number): CpuBenchReport {
  const qemuStartup = bestOf(runs, () => runQemu(emptyProgram, []));
  const sternaStartup = bestOf(runs, () => runSternaExec(emptyProgram, []))!;
  const workloads = cpuWorkloads.map((workload): WorkloadResult => {
    const sterna = bestOf(runs, () => runSternaExec(workload.binary, workload.args))!;
    const sternaMs = Math.max(sterna.cpuMs - sternaStartup.cpuMs, 1);
    const result: WorkloadResult = {
      name: workload.name,
      args: workload.args,
      instructions: sterna.instructions,
      sternaMs,
      sternaWallMs: sterna.wallMs,
      guestMips: sterna.instructions / sternaMs / 1000,
    };
    const qemu = qemuStartup && bestOf(runs, () => runQemu(workload.binary, workload.args));
    if (qemu !== undefined && qemuStartup !== undefined) {
      result.qemuMs = Math.max(qemu.cpuMs - qemuStartup.cpuMs, 0);
      result.qemuWallMs = qemu.wallMs;
      result.speedRatio = result.qemuMs / sternaMs;
      const qemuWallMs = Math.max(qemu.wallMs - qemuStartup.wallMs, 0);
      result.wallSpeedRatio = qemuWallMs / Math.max(sterna.wallMs - sternaStartup.wallMs, 1);
      result.outputsAgree = qemu.stdout === sterna.stdout;
    }
    return result;
  });
  return {
    runs,
    workloads,
    qemuStartupMs: qemuStartup?.cpuMs,
    qemuStartupWallMs: qemuStartup?.wallMs,
    sternaStartupMs: sternaStartup.wallMs,
    sternaStartupCpuMs: sternaStartup.cpuMs,
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
      wall_speed_ratio: w.wallSpeedRatio ?? null,
      outputs_agree: w.outputsAgree ?? null,
    }),
  );
  lines.push(
    JSON.stringify({
      bench: "startup",
      runs: report.runs,
      sterna_exec_wall_ms: report.sternaStartupMs,
      sterna_exec_cpu_ms: report.sternaStartupCpuMs,
      qemu_cpu_ms: report.qemuStartupMs ?? null,
      qemu_wall_ms: report.qemuStartupWallMs ?? null,
    }),
  );
  return lines;
}

/** The report as lines for a terminal. */
export function formatCpuReport(report: CpuBenchReport): string[] {
  const lines: string[] = [];
  for (const w of report.workloads) {
    let line = `${w.name.padEnd(9)} ${w.instructions} instructions, ${w.sternaMs.toFixed(0)} ms CPU (${w.sternaWallMs.toFixed(0)} ms wall with start-up), ${w.guestMips.toFixed(1)} guest MIPS`;
    if (w.qemuMs !== undefined) {
      line += `; qemu-i386 ${w.qemuMs.toFixed(0)} ms CPU: ${w.speedRatio!.toFixed(3)}x qemu's speed`;
      if (w.wallSpeedRatio !== undefined) line += ` (wall time: ${w.wallSpeedRatio.toFixed(3)}x)`;
      if (!w.outputsAgree) line += " (OUTPUTS DIFFER)";
    }
    lines.push(line);
  }
  lines.push(
    `start-up  sterna exec (empty program) ${report.sternaStartupMs.toFixed(0)} ms (${report.sternaStartupCpuMs.toFixed(0)} ms CPU, subtracted)` +
      (report.qemuStartupMs === undefined
        ? "; qemu-i386 not installed"
        : `; qemu-i386 ${report.qemuStartupMs.toFixed(0)} ms CPU, ${(report.qemuStartupWallMs ?? 0).toFixed(0)} ms wall (subtracted from its times)`),
  );
  lines.push(`best of ${report.runs} runs each`);
  return lines;
}
