// Fuzz target "cli": random command lines for exec, asm, disasm and boot (and none at all),
// from a vocabulary of options, edge values (empty, negative, huge, not a number, very long)
// and paths (good files, a mutated ELF, missing files, a folder, /dev/zero, /dev/full, a folder
// that does not exist), boot's cluster options (fabrics, fault rates, partitions, crashes, workers,
// `--run 'prog@N args'`), run in-process through runCli, the entry bin/sterna.js uses. A
// finding is status 70 (sterna's internal error) or an exception. `exec` always gets
// --max-instructions and `boot` --until, so that a guest that loops forever cannot pass as
// a hang. Guest and sterna output go to the engine's stdout/stderr, which the fuzzer drops.

import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { internalErrorStatus, runCli } from "../../cli/program.ts";
import { corpusElfs } from "../corpus.ts";
import type { Prng } from "../prng.ts";
import { describeThrown, type FuzzTarget, finding, ok } from "../target.ts";
import { mutateElf } from "./elf-files.ts";

export interface CommandLineInput {
  /** Arguments; `{W}` stands for the fuzzer's scratch folder. */
  args: string[];
  /** Written to {W}/source.asm before the run. */
  source: string;
  /** Written to {W}/mutated.elf before the run, hex. */
  mutatedElfHex: string;
}

const values = [
  "0",
  "1",
  "-1",
  "2",
  "10",
  "1000",
  "1000000000",
  "99999999999999999999",
  "1e3",
  "0x10",
  "",
  "abc",
  " 5",
  "1.5",
  "-0",
  "NaN",
  "Infinity",
  "4294967296",
  "5ms",
  "0s",
  "1s",
  "10us",
  "x".repeat(5000),
];
const inputPaths = [
  "{W}/hello.elf",
  "{W}/mutated.elf",
  "{W}/source.asm",
  "{W}/missing",
  "{W}",
  "/dev/zero",
  "/dev/null",
  "{W}/empty",
  "{W}/no/such/folder/file",
  "/",
  "",
];
const outputPaths = ["{W}/out", "{W}/no-folder/out", "{W}", "/dev/full", "{W}/out.lst", ""];
const sourceLines = [
  "section .text",
  "global _start",
  "_start:",
  "mov eax, 1",
  "int 0x80",
  "db 1, 2, 3",
  "times 10 nop",
  '%include "missing.inc"',
  '%include "sterna.inc"',
  "resb 4096",
  "label: jmp label",
  "mov eax, [ebx + ecx*4 + 8]",
  "%macro m 1\nm %1\n%endmacro\nm 1",
  "dd 1.5",
  "%rep 3\nnop\n%endrep",
  "section .data",
  "msg: db 'hi', 10",
  "jmp far",
  "align 16",
  "%if 1\n%else",
  "equ",
  "x equ x",
  "times -1 db 0",
  "mov [eax], 1",
];

function pickValue(rng: Prng): string {
  return rng.chance(0.85) ? rng.pick(values) : String(rng.next32() - 2 ** 31);
}

function execArgs(rng: Prng): string[] {
  const args: string[] = [];
  if (rng.chance(0.3)) args.push("--stats");
  if (rng.chance(0.4)) args.push("--last", pickValue(rng));
  if (rng.chance(0.2)) args.push("--max-instructions", pickValue(rng));
  if (rng.chance(0.1)) args.push(rng.pick(["--bogus", "-x", "--"]));
  args.push("--max-instructions", "200000", rng.pick(inputPaths));
  for (let i = rng.below(4); i > 0; i--) args.push(pickValue(rng));
  return ["exec", ...args];
}

function asmArgs(rng: Prng): string[] {
  const args = ["asm", rng.chance(0.8) ? "{W}/source.asm" : rng.pick(inputPaths)];
  if (rng.chance(0.7)) args.push("-o", rng.pick(outputPaths));
  if (rng.chance(0.4)) args.push("-f", rng.pick(["elf", "bin", "coff", ""]));
  if (rng.chance(0.4)) args.push("-I", rng.pick(["userland/include", "{W}", "{W}/missing"]));
  if (rng.chance(0.3)) args.push("-l", rng.pick(outputPaths));
  return args;
}

function disasmArgs(rng: Prng): string[] {
  const args = ["disasm", rng.pick(inputPaths)];
  if (rng.chance(0.4)) args.push("-f", rng.pick(["elf", "bin", "exe"]));
  if (rng.chance(0.4)) args.push("--org", rng.pick([...values, "0x08048000", "1000h"]));
  if (rng.chance(0.3)) args.push("--reassemble");
  return args;
}

const fabrics = [
  "token-ring",
  "token-ring:4",
  "token-ring:16",
  "token-ring:80",
  "token-ring:12",
  "token-ring:",
  "ethernet",
  "ethernet:10",
  "switched",
  "switched:100",
  "switched:1000",
  "switched:0",
  "fddi",
  "",
  ":",
];
/**
 * Valid counts up to 64 and refused ones: a cluster of hundreds of nodes takes minutes of
 * wall time by design (1000 nodes, 20 ms virtual: 53 s of CPU), which is `bench cluster`'s
 * to measure, not a hang.
 */
const nodeCounts = [
  "1",
  "2",
  "3",
  "8",
  "64",
  "0",
  "2049",
  "-1",
  "",
  "abc",
  "1e3",
  " 5",
  "4294967296",
];
const probabilities = ["0", "0.01", ".5", "1", "1.0", "1.5", "-0.1", "1e-3", "", "NaN", "0.999999"];
const nodeSets = ["0", "1", "0-1", "1-0", "0,2", "0-2047", "0-99999999999", "x", "", ",", "0-"];
/** Words a guest may get as arguments: unicode, quotes, long, empty. */
const runArguments = ["arg", "héllo ✓", "'quoted'", "-x", "--help", "a  b", "x".repeat(3000), ""];

function bootArgs(rng: Prng): string[] {
  const args = ["boot"];
  for (let i = rng.below(3); i > 0; i--) {
    const node = rng.pick(["", "@0", "@*", "@1", "@-1", "@x", "@3", "@99999999999999999999", "@"]);
    const words = rng.chance(0.3) ? ` ${rng.pick(runArguments)}` : "";
    args.push("--run", `${rng.pick(inputPaths)}${node}${words}`);
  }
  if (rng.chance(0.3)) args.push("--file", rng.pick(inputPaths));
  if (rng.chance(0.3)) args.push("--seed", pickValue(rng));
  if (rng.chance(0.3)) args.push("--nodes", rng.pick(nodeCounts));
  if (rng.chance(0.3)) args.push("--fabric", rng.pick(fabrics));
  if (rng.chance(0.2))
    args.push("--workers", rng.chance(0.5) ? pickValue(rng) : String(rng.below(4)));
  if (rng.chance(0.1)) args.push("--clock", pickValue(rng));
  if (rng.chance(0.1)) args.push("--memory", pickValue(rng));
  for (const option of ["--loss", "--dup", "--corrupt"]) {
    if (rng.chance(0.1)) args.push(option, rng.pick(probabilities));
  }
  if (rng.chance(0.1)) {
    args.push("--partition", `${pickValue(rng)}:${rng.pick(nodeSets)}:${pickValue(rng)}`);
  }
  for (const option of ["--crash", "--restart"]) {
    if (rng.chance(0.1)) args.push(option, `${pickValue(rng)}:${rng.pick(["0", "1", "3", "x"])}`);
  }
  if (rng.chance(0.2)) args.push("--trace", rng.pick(outputPaths));
  if (rng.chance(0.2)) args.push("--time-slice", pickValue(rng));
  if (rng.chance(0.2)) args.push("--until", pickValue(rng));
  args.push("--until", "20ms");
  return args;
}

const bootTimeLimitFactor = 6;

let workspace: string | undefined;

function prepareWorkspace(): string {
  if (workspace) return workspace;
  workspace = mkdtempSync(join(tmpdir(), "sterna-fuzz-"));
  writeFileSync(join(workspace, "hello.elf"), corpusElfs().get("hello")!);
  writeFileSync(join(workspace, "empty"), "");
  mkdirSync(join(workspace, "sub"), { recursive: true });
  return workspace;
}

export function expandArgs(args: readonly string[], folder: string): string[] {
  return args.map((arg) => arg.replaceAll("{W}", folder));
}

/** Writes the input's files into the scratch folder; returns the folder. */
export function prepareInput(input: CommandLineInput): string {
  const folder = prepareWorkspace();
  writeFileSync(join(folder, "source.asm"), input.source);
  writeFileSync(join(folder, "mutated.elf"), Buffer.from(input.mutatedElfHex, "hex"));
  return folder;
}

export const commandLinesTarget: FuzzTarget<CommandLineInput> = {
  name: "cli",
  description: "random command lines, in-process through runCli (a sample through bin/sterna.js)",
  generate(rng) {
    const command = rng.below(9);
    const args =
      command < 3
        ? execArgs(rng)
        : command < 5
          ? asmArgs(rng)
          : command < 7
            ? disasmArgs(rng)
            : command < 8
              ? bootArgs(rng)
              : [rng.pick(["", "bogus", "--bogus", "help", "exec"])];
    const lines: string[] = [];
    for (let i = rng.below(12); i > 0; i--) lines.push(rng.pick(sourceLines));
    const mutations: string[] = [];
    const mutated = mutateElf(
      rng,
      corpusElfs().get(rng.pick([...corpusElfs().keys()]))!,
      mutations,
    );
    return { args, source: lines.join("\n"), mutatedElfHex: Buffer.from(mutated).toString("hex") };
  },
  async run(input) {
    const folder = prepareInput(input);
    try {
      const status = await runCli(expandArgs(input.args, folder));
      if (status === internalErrorStatus) return finding("status 70: internal error");
      return ok;
    } catch (error) {
      return finding(describeThrown(error));
    }
  },
  /** A boot starts worker threads that load the kernel from TypeScript: seconds, loaded. */
  timeLimitFactor(input) {
    return input.args[0] === "boot" ? bootTimeLimitFactor : 1;
  },
  summarize(input) {
    return `sterna ${input.args.map((arg) => (arg.length > 40 ? `${arg.slice(0, 20)}...` : arg)).join(" ")}`;
  },
};
