// The `sterna` program: its commands, and the one rule for failures. A usage error is one line
// on stderr and status 2; a host file error that escaped a command is one line naming the
// file and status 2; anything else is a bug, one line and status 70. No JavaScript stack trace
// reaches the user unless STERNA_DEBUG=1 asks for it. `runCli` is what bin/sterna.js runs and
// what the fuzzer calls in-process: a fresh program per call, the status returned.

import { Command, CommanderError } from "commander";
import { registerAsm } from "./asm-command.ts";
import { registerBench } from "./bench-command.ts";
import { registerBoot } from "./boot-command.ts";
import { registerDisasm } from "./disasm-command.ts";
import { registerExec } from "./exec-command.ts";
import { describeFileError } from "./input-file.ts";
import { registerTrace } from "./trace-command.ts";

export const usageErrorStatus = 2;
/** EX_SOFTWARE: sterna itself failed. */
export const internalErrorStatus = 70;

/** The one line for an error no command handled, and the status it ends with. */
export function describeUnhandled(error: unknown): { line: string; status: number } {
  const hostError = error as NodeJS.ErrnoException | undefined;
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

/** Writes `sterna: LINE` to stderr; silent when stderr itself is gone. */
export function sayError(line: string): void {
  try {
    process.stderr.write(`sterna: ${line}\n`);
  } catch {
    // stderr is gone: the status is all that is left to tell.
  }
}

/** Reports an error no command handled; returns the status to end with. */
export function reportUnhandled(error: unknown): number {
  if (process.env.STERNA_DEBUG === "1") console.error(error);
  const { line, status } = describeUnhandled(error);
  sayError(line);
  return status;
}

export function buildProgram(): Command {
  const program = new Command("sterna")
    .description("a virtual cluster of i386 machines with a process-migrating microkernel")
    // Lets `exec PROG args...` pass options meant for the guest program through untouched.
    .enablePositionalOptions()
    // Throw instead of exiting, so that usage errors end with status 2 (commands inherit it).
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
  return program;
}

/** Runs one command line (`args` without node and the script) and returns its exit status. */
export async function runCli(args: readonly string[]): Promise<number> {
  process.exitCode = undefined;
  let status: number;
  try {
    await buildProgram().parseAsync([...args], { from: "user" });
    status = Number(process.exitCode ?? 0);
  } catch (error) {
    // Help and version are requested output; commander has already reported anything else.
    if (error instanceof CommanderError) status = error.exitCode === 0 ? 0 : usageErrorStatus;
    else status = reportUnhandled(error);
  }
  process.exitCode = undefined;
  return status;
}
