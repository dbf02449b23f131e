// `npm run fuzz [-- --runs N --seed S --target NAME --index I --time-limit-ms T --memory-mb M
// --cli-sample K]`: the fuzzing campaign. For each target (elf, cli, syscall, code) it runs N
// inputs in an engine child process (engine.ts) with a per-input time limit (a hang: the
// engine is killed; time the host kept both processes stopped does not count, see
// stopped-clock.ts; a target may give an input a multiple of it, as the cli target does for
// a boot, which starts worker threads) and a heap limit (an abort: the engine dies),
// restarting the engine after each culprit; every K-th command line also runs through the
// real CLI (bin/sterna.js) in a child with a time limit, which must end with a documented
// status, no stack trace and, for status 2, one line. Prints per target: inputs tried, host
// crashes, hangs, and for each finding a command that replays it. Exit status 1 when
// anything was found.

import { type ChildProcess, fork, spawnSync } from "node:child_process";
import { parseArgs } from "node:util";
import type { EngineMessage } from "./engine.ts";
import { generateInput } from "./inputs.ts";
import { StoppedClock } from "./stopped-clock.ts";
import type { FuzzTarget } from "./target.ts";
import {
  type CommandLineInput,
  commandLinesTarget,
  expandArgs,
  prepareInput,
} from "./targets/command-lines.ts";
import { findTarget, fuzzTargets } from "./targets/index.ts";

interface Finding {
  kind: "crash" | "hang";
  index: number;
  text: string;
  summary: string;
}

interface TargetReport {
  name: string;
  tried: number;
  findings: Finding[];
  cliSampled: number;
}

const enginePath = new URL("./engine.ts", import.meta.url).pathname;
const binPath = new URL("../../bin/sterna.js", import.meta.url).pathname;

const usage = `usage: npm run fuzz [-- --runs N --seed S --target NAME --index I --time-limit-ms T
                      --memory-mb M --cli-sample K]
  --runs N           inputs per target (default 1000)
  --seed S           the campaign seed (default 1)
  --target NAME      one target only: ${fuzzTargets.map((target) => target.name).join(", ")}
  --index I          replay input I of the seed only
  --time-limit-ms T  per input, else a hang (default 10000)
  --memory-mb M      the engine's heap, else a crash (default 1024)
  --cli-sample K     every K-th command line also through bin/sterna.js (default 200)
Exit status: 0 nothing found, 1 findings, 2 a usage error.
`;

function parseOptions() {
  try {
    return parseArgs({
      options: {
        runs: { type: "string", default: "1000" },
        seed: { type: "string", default: "1" },
        target: { type: "string" },
        index: { type: "string" },
        "time-limit-ms": { type: "string", default: "10000" },
        "memory-mb": { type: "string", default: "1024" },
        "cli-sample": { type: "string", default: "200" },
        help: { type: "boolean", short: "h" },
      },
    }).values;
  } catch (error) {
    process.stderr.write(
      `fuzz: ${(error as Error).message.split("\n")[0]} (--help lists the options)\n`,
    );
    process.exit(2);
  }
}

const values = parseOptions();
if (values.help) {
  process.stdout.write(usage);
  process.exit(0);
}

function wholeNumber(name: string, text: string | undefined, min: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text ?? "") || value < min || !Number.isSafeInteger(value)) {
    process.stderr.write(`fuzz: --${name} ${text}: expected a whole number >= ${min}\n`);
    process.exit(2);
  }
  return value;
}

const runs = wholeNumber("runs", values.runs, 1);
const seed = wholeNumber("seed", values.seed, 0);
const timeLimitMs = wholeNumber("time-limit-ms", values["time-limit-ms"], 100);
const memoryMb = wholeNumber("memory-mb", values["memory-mb"], 64);
const startupLimitMs = Math.max(120_000, timeLimitMs);
const clock = new StoppedClock();
const cliSampleEvery = wholeNumber("cli-sample", values["cli-sample"], 1);
const onlyIndex = values.index === undefined ? undefined : wholeNumber("index", values.index, 0);
const targets = values.target === undefined ? fuzzTargets : [findTarget(values.target)];
if (targets.some((target) => target === undefined)) {
  const names = fuzzTargets.map((target) => target.name).join(", ");
  process.stderr.write(`fuzz: --target ${values.target}: expected one of ${names}\n`);
  process.exit(2);
}

/** Runs inputs from..end-1 in engines, restarting after a hang or a crash. */
async function runInEngines(target: FuzzTarget<unknown>, from: number, end: number) {
  const findings: Finding[] = [];
  let next = from;
  while (next < end) {
    const outcome = await runOneEngine(target, next, end - next, findings);
    if (outcome.finished) break;
    next = outcome.culprit + 1;
  }
  return findings;
}

function runOneEngine(
  target: FuzzTarget<unknown>,
  from: number,
  count: number,
  findings: Finding[],
): Promise<{ finished: boolean; culprit: number }> {
  return new Promise((resolve) => {
    const child: ChildProcess = fork(
      enginePath,
      [target.name, String(seed), String(from), String(count)],
      {
        execArgv: [...process.execArgv, `--max-old-space-size=${memoryMb}`],
        stdio: ["ignore", "ignore", "pipe", "ipc"],
      },
    );
    let current = from;
    let finished = false;
    let hung = false;
    let stderrTail = "";
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
      stderrTail = (stderrTail + chunk).slice(-2000);
    });
    let watchdog = setTimeout(() => undefined, 0);
    // The limit counts the time the engine could run: a stop of both processes (SIGSTOP) is
    // not the input's, so the watchdog waits out what is left after one.
    const arm = (limitMs: number) => {
      clearTimeout(watchdog);
      const armedMs = clock.now();
      const stoppedMsThen = clock.stoppedMsSoFar();
      const check = () => {
        const leftMs = limitMs - clock.ranMsSince(armedMs, stoppedMsThen);
        if (leftMs > 0) {
          watchdog = setTimeout(check, leftMs);
          return;
        }
        hung = true;
        child.kill("SIGKILL");
      };
      watchdog = setTimeout(check, limitMs);
    };
    // Starting an engine (tsx, the kernel, the assembler) on a loaded host can take longer
    // than one input may: its first input's clock starts with its first message.
    arm(startupLimitMs);
    child.on("message", (message: EngineMessage) => {
      if (message.kind === "start") {
        current = message.index;
        arm(timeLimitMs * message.timeLimitFactor);
      } else if (message.kind === "finding") {
        findings.push({
          kind: "crash",
          index: message.index,
          text: message.text,
          summary: message.summary,
        });
      } else {
        finished = true;
      }
    });
    child.on("exit", (code, signal) => {
      clearTimeout(watchdog);
      if (finished) {
        resolve({ finished: true, culprit: current });
        return;
      }
      const summary = target.summarize(generateInput(target, seed, current));
      if (hung) {
        findings.push({
          kind: "hang",
          index: current,
          text: `no answer within ${timeLimitMs} ms`,
          summary,
        });
      } else {
        const lastLine = stderrTail.trim().split("\n").filter(Boolean).slice(-3).join(" | ");
        findings.push({
          kind: "crash",
          index: current,
          text: `engine died (${signal ?? `exit ${code}`}): ${lastLine}`,
          summary,
        });
      }
      resolve({ finished: false, culprit: current });
    });
  });
}

const documentedStatuses = new Set([0, 1, 2, 124]);

function spawnRealCli(input: CommandLineInput, args: string[]) {
  const factor = commandLinesTarget.timeLimitFactor?.(input) ?? 1;
  const result = spawnSync(process.execPath, [binPath, ...args], {
    input: "",
    timeout: timeLimitMs * 3 * factor,
    encoding: "latin1",
    maxBuffer: 64 * 1024 * 1024,
  });
  // The wait blocked the heartbeat: that gap was work, not a stop.
  clock.skipGap();
  const timedOut =
    result.error !== undefined && (result.error as NodeJS.ErrnoException).code === "ETIMEDOUT";
  return { result, timedOut };
}

/** One command line through bin/sterna.js: a finding text, or undefined when it behaved. */
function runRealCli(input: CommandLineInput): string | undefined {
  const args = expandArgs(input.args, prepareInput(input));
  let { result, timedOut } = spawnRealCli(input, args);
  // spawnSync's limit is wall time, stops included: a hang must happen twice.
  if (timedOut) ({ result, timedOut } = spawnRealCli(input, args));
  if (timedOut) return "real CLI: no end within the time limit, twice";
  if (result.status === null) return `real CLI: ended by ${result.signal}`;
  if (/\n\s+at |node:internal|^\w*Error: /m.test(result.stderr)) {
    return `real CLI: a stack trace or host error text on stderr: ${result.stderr.slice(0, 200)}`;
  }
  const isExec = input.args[0] === "exec";
  if (!isExec && !documentedStatuses.has(result.status)) {
    return `real CLI: undocumented status ${result.status}: ${result.stderr.trim().split("\n")[0]}`;
  }
  if (result.status === 70) return `real CLI: internal error: ${result.stderr.trim()}`;
  const lines = result.stderr.split("\n").filter(Boolean);
  if (result.status === 2 && lines.length !== 1) {
    return `real CLI: status 2 with ${lines.length} lines on stderr: ${lines.slice(0, 3).join(" | ")}`;
  }
  return undefined;
}

async function runTarget(target: FuzzTarget<unknown>): Promise<TargetReport> {
  const from = onlyIndex ?? 0;
  const end = onlyIndex === undefined ? runs : onlyIndex + 1;
  const findings = await runInEngines(target, from, end);
  let cliSampled = 0;
  if (target.name === commandLinesTarget.name) {
    for (let index = from; index < end; index++) {
      if (onlyIndex === undefined && index % cliSampleEvery !== 0) continue;
      const input = generateInput(commandLinesTarget, seed, index);
      cliSampled++;
      const problem = runRealCli(input);
      if (problem) {
        findings.push({
          kind: "crash",
          index,
          text: problem,
          summary: commandLinesTarget.summarize(input),
        });
      }
    }
  }
  return { name: target.name, tried: end - from, findings, cliSampled };
}

let anything = false;
for (const target of targets as FuzzTarget<unknown>[]) {
  const startedMs = clock.now();
  const stoppedMsThen = clock.stoppedMsSoFar();
  const report = await runTarget(target);
  const crashes = report.findings.filter((f) => f.kind === "crash").length;
  const hangs = report.findings.filter((f) => f.kind === "hang").length;
  const seconds = ((clock.now() - startedMs) / 1000).toFixed(1);
  const stoppedMs = clock.stoppedMsSoFar() - stoppedMsThen;
  const stopped = stoppedMs > 0 ? `, of which ${(stoppedMs / 1000).toFixed(1)} s stopped` : "";
  const sampled = report.cliSampled > 0 ? `, ${report.cliSampled} through bin/sterna.js` : "";
  console.log(
    `${target.name.padEnd(8)} inputs ${report.tried}${sampled}; host crashes ${crashes}; hangs ${hangs} (${seconds} s${stopped})`,
  );
  for (const found of report.findings) {
    anything = true;
    console.log(`  ${found.kind} #${found.index}: ${found.text}`);
    console.log(`    input: ${found.summary.slice(0, 300)}`);
    console.log(
      `    replay: npm run fuzz -- --target ${target.name} --seed ${seed} --index ${found.index}`,
    );
  }
}
clock.stop();
process.exitCode = anything ? 1 : 0;
