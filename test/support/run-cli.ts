// Runs the real CLI, bin/sterna.js, in a child node process, as a user meets it: exit status
// and everything it wrote (read as latin1, so guest bytes come back one char per byte).
// Asynchronous, so that concurrent tests overlap the time each child spends starting node.

import { spawn } from "node:child_process";

const binPath = new URL("../../bin/sterna.js", import.meta.url).pathname;
/**
 * Longer than any test's own time limit: a child whose test timed out would otherwise keep
 * running (and loading the host) after the suite has moved on.
 */
const childLifetimeMsMax = 300_000;

export interface CliOutcome {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `sterna ARGS...` with INPUT on its stdin (then closed), started in `cwd` if given. */
export function sterna(args: readonly string[], input = "", cwd?: string): Promise<CliOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binPath, ...args], {
      timeout: childLifetimeMsMax,
      cwd,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("latin1").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("latin1").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input);
  });
}
