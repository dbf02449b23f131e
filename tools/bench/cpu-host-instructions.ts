// Host instructions, not seconds: each CPU bench workload (cpu-measure.ts) run as
// `sterna exec` and as qemu-i386 under valgrind's instruction counter, the empty program's
// count subtracted from each. Times on a shared or virtual host vary by a third from run to
// run, and V8 adds its own spread (which functions are optimised when); this count does not
// vary with load, and with node's --predictable (V8 compiles on the main thread, one GC
// thread) it repeats to within a few parts per million, so a change of 1 % in the work the
// host does is visible. It is a count, not a time: it ignores cache misses and mispredicted
// branches (a dispatch through one of hundreds of block functions costs more than its
// instructions), and --predictable moves V8's background compiling onto the main thread.
// So it is the yardstick for changes to vm/cpu; the speed targets are judged by
// `sterna bench cpu`.
// Run: npx tsx tools/bench/cpu-host-instructions.ts [--json] [--no-qemu] [c-bench|coremark [args...]]
// Needs valgrind (Debian's package); qemu-i386 is counted when it is installed.

import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";
import { cpuWorkloads, emptyProgram, namedWorkload, sternaEntry } from "./cpu-measure.ts";

const { values, positionals } = parseArgs({
  options: {
    json: { type: "boolean", default: false },
    "no-qemu": { type: "boolean", default: false },
  },
  allowPositionals: true,
});

function usage(problem: string): never {
  console.error(
    `cpu-host-instructions: ${problem}; usage: [--json] [--no-qemu] [${cpuWorkloads.map((w) => w.name).join("|")} [args...]]`,
  );
  process.exit(2);
}

const chosen =
  positionals.length === 0
    ? cpuWorkloads
    : [namedWorkload(positionals) ?? usage(`unknown workload ${JSON.stringify(positionals[0])}`)];

/** Instructions valgrind counted for `command args`. */
function countInstructions(command: string, args: readonly string[]): number {
  const run = spawnSync(
    "valgrind",
    ["--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null", command, ...args],
    { encoding: "latin1", maxBuffer: 64 * 1024 * 1024 },
  );
  if (run.error !== undefined) {
    console.error("cpu-host-instructions: valgrind is not installed (apt-get install valgrind)");
    process.exit(2);
  }
  const counted = /I\s+refs:\s+([\d,]+)/.exec(run.stderr ?? "");
  if (run.status !== 0 || counted === null) {
    console.error(
      `cpu-host-instructions: ${command} exited with status ${run.status} under valgrind`,
    );
    process.exit(1);
  }
  return Number(counted[1]!.replaceAll(",", ""));
}

function sternaCount(binary: string, args: readonly string[]) {
  return countInstructions(process.execPath, [
    "--predictable",
    sternaEntry,
    "exec",
    binary,
    ...args,
  ]);
}

const qemuInstalled =
  !values["no-qemu"] &&
  spawnSync("qemu-i386", ["-version"], { stdio: "ignore" }).error === undefined;

function qemuCount(binary: string, args: readonly string[]) {
  return qemuInstalled ? countInstructions("qemu-i386", [binary, ...args]) : undefined;
}

const sternaEmpty = sternaCount(emptyProgram, []);
const qemuEmpty = qemuCount(emptyProgram, []);
for (const workload of chosen) {
  const sterna = sternaCount(workload.binary, workload.args) - sternaEmpty;
  const qemuTotal = qemuCount(workload.binary, workload.args);
  const qemu =
    qemuTotal === undefined || qemuEmpty === undefined ? undefined : qemuTotal - qemuEmpty;
  if (values.json) {
    console.log(
      JSON.stringify({
        bench: "cpu-host-instructions",
        workload: workload.name,
        args: workload.args,
        sterna_host_instructions: sterna,
        sterna_startup_host_instructions: sternaEmpty,
        qemu_host_instructions: qemu ?? null,
        qemu_startup_host_instructions: qemuEmpty ?? null,
        ratio: qemu === undefined ? null : qemu / sterna,
      }),
    );
  } else {
    const ratio =
      qemu === undefined
        ? ""
        : `, qemu-i386 ${qemu.toLocaleString("en")} (${(qemu / sterna).toFixed(3)}x)`;
    console.log(
      `${workload.name} ${workload.args.join(" ")}: sterna ${sterna.toLocaleString("en")} host instructions${ratio}; start-up subtracted (sterna ${sternaEmpty.toLocaleString("en")}${qemuEmpty === undefined ? "" : `, qemu-i386 ${qemuEmpty.toLocaleString("en")}`})`,
    );
  }
}
