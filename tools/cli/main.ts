// The `sterna` command line. Each command lives in its own file and registers itself on the
// program here; command files load their heavy parts (kernel, assembler) only when run, so
// `sterna --help` starts fast.

import { Command, CommanderError } from "commander";
import { registerAsm } from "./asm-command.ts";
import { registerBench } from "./bench-command.ts";
import { registerBoot } from "./boot-command.ts";
import { registerDisasm } from "./disasm-command.ts";
import { registerExec } from "./exec-command.ts";
import { registerTrace } from "./trace-command.ts";

const program = new Command("sterna")
  .description("a virtual cluster of i386 machines with a process-migrating microkernel")
  // Lets `exec PROG args...` pass options meant for the guest program through untouched.
  .enablePositionalOptions()
  .exitOverride();

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
  // commander has printed its one line; a usage error is status 2, help and version are 0.
  if (!(error instanceof CommanderError)) throw error;
  process.exitCode = error.exitCode === 0 ? 0 : 2;
}
