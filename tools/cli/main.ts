// The `sterna` command line. Each command lives in its own file and registers itself on the
// program here; command files load their heavy parts (kernel, assembler) only when run, so
// `sterna --help` starts fast. This file also holds the one rule for failures: a usage error
// is one line on stderr and status 2; a host file error that escaped a command is one line
// naming the file and status 2; anything else is a bug, one line and status 70. No JavaScript
// stack trace reaches the user unless STERNA_DEBUG=1 asks for it.

import { Command, CommanderError } from "commander";
import { registerAsm } from "./asm-command.ts";
import { registerBench } from "./bench-command.ts";
import { registerBoot } from "./boot-command.ts";
import { registerDisasm } from "./disasm-command.ts";
import { registerExec } from "./exec-command.ts";
import { describeFileError } from "./input-file.ts";
import { registerTrace } from "./trace-command.ts";

const usageErrorStatus = 2;
/** EX_SOFTWARE: sterna itself failed. */
const internalErrorStatus = 70;
const debug = process.env.STERNA_DEBUG === "1";

function sayError(line: string): void {
  try {
    process.stderr.write(`sterna: ${line}\n`);
  } catch {
    // stderr itself is gone: the status is all that is left to tell.
  }
}

/** The one line for an error no command handled, and the status it ends with. */
export function describeUnhandled(error: unknown): { line: string; status: number } {
  const hostError = error as NodeJS.ErrnoException;
  if (hostError?.code && typeof hostError.path === "string") {
    return {
      line: `${hostError.path}: ${describeFileError(hostError)}`,
      status: usageErrorStatus,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  const firstLine = message.split("\n")[0] ?? "";
  return {
    line: `internal error: ${firstLine} (STERNA_DEBUG=1 shows where)`,
    status: internalErrorStatus,
  };
}

function endWith(error: unknown): void {
  if (debug) console.error(error);
  const { line, status } = describeUnhandled(error);
  sayError(line);
  process.exitCode = status;
}

// Output to a reader that has gone (`sterna --help | head -1`) ends quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") endWith(error);
  });
}
process.on("uncaughtException", endWith);
process.on("unhandledRejection", endWith);

const program = new Command("sterna")
  .description("a virtual cluster of i386 machines with a process-migrating microkernel")
  // Lets `exec PROG args...` pass options meant for the guest program through untouched.
  .enablePositionalOptions()
  // Throw instead of exiting, so that usage errors end with status 2 (inherited by commands).
  .exitOverride()
  .configureOutput({
    outputError: (text, write) => write(`sterna: ${text.replace(/^error: /, "")}`),
  });

for (const register of [
  registerExec,
  registerAsm,
  registerDisasm,
  registerBoot,
  registerTrace,
  registerBench,
]) {
  register(program);
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and version are requested output; anything else commander has already reported.
    process.exitCode = error.exitCode === 0 ? 0 : usageErrorStatus;
  } else {
    endWith(error);
  }
}
