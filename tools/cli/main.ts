// The `sterna` command line. Each command lives in its own file and registers itself on the
// program here; command files load their heavy parts (kernel, assembler) only when run, so
// `sterna --help` starts fast.

import { Command } from "commander";
import { registerAsm } from "./asm-command.ts";
import { registerBoot } from "./boot-command.ts";
import { registerDisasm } from "./disasm-command.ts";
import { registerExec } from "./exec-command.ts";

const program = new Command("sterna")
  .description("a virtual cluster of i386 machines with a process-migrating microkernel")
  // Lets `exec PROG args...` pass options meant for the guest program through untouched.
  .enablePositionalOptions()
  .showHelpAfterError();

for (const register of [registerExec, registerAsm, registerDisasm, registerBoot]) register(program);

await program.parseAsync(process.argv);
