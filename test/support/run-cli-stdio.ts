// Runs the real CLI with chosen host descriptors for its stdin and stdout (a directory as
// stdin, /dev/full as stdout, a pipe closed before the guest writes), within a time limit,
// as the hostile-input tests need. Resolves with the status (or the signal) and stderr.

import { spawn } from "node:child_process";

const binPath = new URL("../../bin/sterna.js", import.meta.url).pathname;

export interface StdioOutcome {
  status: number | null;
  stderr: string;
  stdout: string;
  /** True when the time limit passed and the child was killed. */
  timedOut: boolean;
  elapsedMs: number;
}

export interface StdioChoice {
  /** A host descriptor for stdin; default an empty pipe. */
  stdinFd?: number;
  /** A host descriptor for stdout; default a pipe read to its end. */
  stdoutFd?: number;
  /** Close the read end of stdout's pipe at once, so the guest's writes meet EPIPE. */
  closeStdout?: boolean;
  timeLimitMs?: number;
}

export function sternaWithStdio(args: readonly string[], choice: StdioChoice = {}) {
  return new Promise<StdioOutcome>((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [binPath, ...args], {
      stdio: [choice.stdinFd ?? "pipe", choice.stdoutFd ?? "pipe", "pipe"],
    });
    let stderr = "";
    let stdout = "";
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, choice.timeLimitMs ?? 30_000);
    child.stdin?.end();
    if (choice.closeStdout) child.stdout?.destroy();
    else child.stdout?.setEncoding("latin1").on("data", (chunk: string) => (stdout += chunk));
    child.stderr!.setEncoding("latin1").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stderr, stdout, timedOut, elapsedMs: performance.now() - started });
    });
  });
}
