// `sterna exec PROG [args...]`: runs one static i386 ELF on one machine. Guest fd 1/2 go to
// stdout/stderr as written, guest fd 0 reads stdin, and the exit status is the guest's
// (128 + signal after a fault, with a one-line report on stderr). A file that cannot be
// loaded gives one line `sterna: PROG: reason` and status 2.

import { readFileSync } from "node:fs";
import { type Command, InvalidArgumentError } from "commander";

interface ExecCommandOptions {
  stats?: boolean;
  last?: number;
  maxInstructions?: number;
}

/** Status for a file that could not be read or loaded (as a shell uses 2 for misuse). */
const loadFailureStatus = 2;

function positiveInteger(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new InvalidArgumentError("expected a positive integer");
  }
  return value;
}

function readImage(path: string): Uint8Array | string {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return "no such file";
    if (code === "EISDIR") return "is a directory";
    if (code === "EACCES") return "permission denied";
    return (error as Error).message;
  }
}

async function runExecCommand(programPath: string, args: string[], options: ExecCommandOptions) {
  const [{ runExecutable }, { LoadError }, { describeFault }, { hex32 }, hostIo] =
    await Promise.all([
      import("../../kernel/run-executable.ts"),
      import("../../kernel/loader/load-error.ts"),
      import("../../kernel/faults/fault-report.ts"),
      import("../../kernel/hex-format.ts"),
      import("./host-io.ts"),
    ]);
  const stderr = new hostIo.HostOutput(2);
  const say = (line: string) => stderr.write(new TextEncoder().encode(`sterna: ${line}\n`));
  const image = readImage(programPath);
  if (typeof image === "string") {
    say(`${programPath}: ${image}`);
    process.exitCode = loadFailureStatus;
    return;
  }
  const stdout = new hostIo.HostOutput(1);
  const startedMs = performance.now();
  let result: ReturnType<typeof runExecutable>;
  try {
    result = runExecutable(image, {
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
  if (result.fault) {
    say(`process ${result.pid} killed by ${describeFault(result.fault)}`);
    const eips = result.fault.lastEips ?? [];
    if (eips.length > 0) {
      say(`last ${eips.length} eips before the fault, oldest first:`);
      for (const eip of eips) say(`  ${hex32(eip)}`);
    }
  } else if (result.instructionLimitReached) {
    say(`process ${result.pid} killed: instruction limit of ${options.maxInstructions} reached`);
  }
  if (options.stats) {
    say(`instructions ${result.instructions}`);
    say(`cycles ${result.cycles}`);
    say(`virtual time ${(result.virtualNs / 1e6).toFixed(3)} ms`);
    say(`wall time ${wallMs.toFixed(1)} ms`);
    say(`guest MIPS ${(result.instructions / (wallMs * 1000)).toFixed(2)}`);
  }
  process.exitCode = result.status;
}

export function registerExec(program: Command): void {
  program
    .command("exec")
    .description("run a static i386 ELF executable on one machine; exit with its status")
    .argument("<prog>", "the executable (ELF32 i386, ET_EXEC, statically linked)")
    .argument("[args...]", "arguments for the program (argv[1] onwards)")
    .option("--stats", "print instructions, cycles, virtual and wall time and guest MIPS on stderr")
    .option("--last <n>", "after a fault, print the last N instruction addresses", positiveInteger)
    .option(
      "--max-instructions <n>",
      "kill the program (status 137) after N instructions",
      positiveInteger,
    )
    .passThroughOptions()
    .action(runExecCommand);
}
