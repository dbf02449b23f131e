// A seeded slice of the fuzzing campaign (`npm run fuzz`, tools/fuzz): a few inputs of every
// target, run by the campaign's own engine in a child process, must find no host crash and
// no hang. The seed is fixed so `npm test` is repeatable (STERNA_SEED=<n> picks another); a
// failure prints the command that replays the input.

import { fork } from "node:child_process";
import { describe, expect, it } from "vitest";
import type { EngineMessage } from "../../tools/fuzz/engine.ts";

const enginePath = new URL("../../tools/fuzz/engine.ts", import.meta.url).pathname;
const seed = process.env.STERNA_SEED ? Number(process.env.STERNA_SEED) : 12;
const inputsPerTarget = 15;
const timeLimitMs = 30_000;

interface SliceOutcome {
  findings: string[];
  tried: number;
}

function runSlice(target: string): Promise<SliceOutcome> {
  return new Promise((resolve) => {
    const child = fork(enginePath, [target, String(seed), "0", String(inputsPerTarget)], {
      execArgv: ["--import", "tsx", "--max-old-space-size=1024"],
      stdio: ["ignore", "ignore", "ignore", "ipc"],
    });
    const findings: string[] = [];
    let tried = 0;
    let current = 0;
    const watchdog = setTimeout(() => child.kill("SIGKILL"), timeLimitMs);
    child.on("message", (message: EngineMessage) => {
      if (message.kind === "start") current = message.index;
      else if (message.kind === "finding") {
        findings.push(
          `#${message.index} ${message.text}; replay: npm run fuzz -- --target ${target} --seed ${seed} --index ${message.index}`,
        );
      } else tried = message.tried;
    });
    child.on("exit", (code, signal) => {
      clearTimeout(watchdog);
      if (tried === 0) {
        findings.push(
          `engine ended (${signal ?? `exit ${code}`}) at #${current}; replay: npm run fuzz -- --target ${target} --seed ${seed} --index ${current}`,
        );
      }
      resolve({ findings, tried });
    });
  });
}

describe.concurrent(`a slice of the fuzzing campaign (seed ${seed})`, () => {
  for (const target of ["elf", "cli", "syscall", "code"]) {
    it(`${target}: ${inputsPerTarget} inputs, no host crash, no hang`, async () => {
      const outcome = await runSlice(target);
      expect(outcome.findings).toEqual([]);
      expect(outcome.tried).toBe(inputsPerTarget);
    });
  }
});
