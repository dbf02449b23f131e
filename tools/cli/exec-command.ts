// `sterna exec PROG [args...]`: runs one static i386 ELF on one machine. Guest fd 1/2 go to
// stdout/stderr as written, guest fd 0 reads stdin, and the exit status is the guest's
// (128 + signal when the kernel ended it, with a one-line report on stderr saying why). A host
// I/O failure is the guest's, as under qemu-i386 (host-io.ts). A file that cannot be loaded
// gives one line `sterna: PROG: reason` and status 2; a failure of sterna's own report lines
// on stderr gives status 1 when the guest would have succeeded.

import type { Command } from "commander";
import { programFileBytesMax, readInputFile } from "./input-file.ts";
import { lastEipsMax, parseInstructionCount, parseLastEips } from "./option-parsers.ts";

interface ExecCommandOptions {
  stats?: boolean;
  last?: number;
  maxInstructions?: number;
}

/** Status for a file that could not be read or loaded (as a shell uses 2 for misuse). */
const loadFailureStatus = 2;
/** Status when sterna's own output failed and the guest's status would hide it. */
const ownOutputFailureStatus = 1;

async function runExecCommand(programPath: string, args: string[], options: ExecCommandOptions) {
  const [{ runExecutable }, { LoadError }, { hex32 }, hostIo] = await Promise.all([
    import("../../kernel/run-executable.ts"),
    import("../../kernel/loader/load-error.ts"),
    import("../../kernel/hex-format.ts"),
    import("./host-io.ts"),
  ]);
  const stderr = new hostIo.HostOutput(2);
  const encoder = new TextEncoder();
  let ownOutputFailed = false;
  const say = (line: string) => {
    if (stderr.write(encoder.encode(`sterna: ${line}\n`)) < 0) ownOutputFailed = true;
  };
  const input = readInputFile(programPath, programFileBytesMax);
  if (!input.ok) {
    say(input.message);
    process.exitCode = loadFailureStatus;
    return;
  }
  const stdout = new hostIo.HostOutput(1);
  const startedMs = performance.now();
  let result: ReturnType<typeof runExecutable>;
  try {
    result = runExecutable(input.bytes, {
      argv: [programPath, ...args],
      stdin: hostIo.readHostStdin,
      onStdout: (bytes) => stdout.write(bytes),
      onStderr: (bytes) => stderr.write(bytes),
      maxInstructions: options.maxInstructions,
      lastEips: options.last,
    });
  } catch (error) {
    if (!(error instanceof LoadError)) throw error;
    say(`${programPath}: ${error.message}`);
    process.exitCode = loadFailureStatus;
    return;
  }
  const wallMs = performance.now() - startedMs;
  if (result.endReason !== undefined) say(`process ${result.pid} ${result.endReason}`);
  const eips = result.fault?.lastEips ?? [];
  if (eips.length > 0) {
    say(`last ${eips.length} eips before the fault, oldest first:`);
    for (const eip of eips) say(`  ${hex32(eip)}`);
  }
  if (options.stats) {
    say(`instructions ${result.instructions}`);
    say(`cycles ${result.cycles}`);
    say(`virtual time ${(result.virtualNs / 1e6).toFixed(3)} ms`);
    say(`wall time ${wallMs.toFixed(1)} ms`);
    say(`guest MIPS ${(result.instructions / (wallMs * 1000)).toFixed(2)}`);
  }
  process.exitCode =
    ownOutputFailed && result.status === 0 ? ownOutputFailureStatus : result.status;
}

export function registerExec(program: Command): void {
  program
    .command("exec")
    .description("run a static i386 ELF executable on one machine; exit with its status")
    .argument("<prog>", "the executable (ELF32 i386, ET_EXEC, statically linked, at most 64 MiB)")
    .argument("[args...]", "arguments for the program (argv[1] onwards)")
    .option("--stats", "print instructions, cycles, virtual and wall time and guest MIPS on stderr")
    .option(
      "--last <n>",
      `after a fault, print the last N instruction addresses (1 to ${lastEipsMax})`,
      parseLastEips,
    )
    .option(
      "--max-instructions <n>",
      "kill the program (status 137) after N instructions",
      parseInstructionCount,
    )
    .passThroughOptions()
    .action(runExecCommand);
}
