// Runs `sterna disasm` alone (tools/cli/disasm-command.ts on a fresh commander program), so
// the command tests see its real stdout, stderr and exit status in a child process.

import { Command } from "commander";
import { registerDisasm } from "../../../tools/cli/disasm-command.ts";

const program = new Command("sterna");
registerDisasm(program);
await program.parseAsync(process.argv);
