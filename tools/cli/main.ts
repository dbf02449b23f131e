// The `sterna` command line as bin/sterna.js starts it: runs the program (program.ts) on the
// process's arguments and exits with its status. Anything that escapes (an error thrown from
// a callback, output to a reader that has gone) ends here with one line, never a stack trace.

import { reportUnhandled, runCli } from "./program.ts";

function endWith(error: unknown): void {
  process.exitCode = reportUnhandled(error);
}

// Output to a reader that has gone (`sterna --help | head -1`) ends quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") endWith(error);
  });
}
process.on("uncaughtException", endWith);
process.on("unhandledRejection", endWith);

// No top-level await: the CLI bundle is CommonJS (tools/build/cli-bundle.ts).
void runCli(process.argv.slice(2)).then((status) => {
  process.exitCode = status;
});
