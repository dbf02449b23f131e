// The crash-pairs boot the migration crash tests share (test/property/fixtures/crash-pairs.asm:
// a parent on node 0 and pairs of children that exchange messages across nodes): 4 nodes, seed 7,
// one round of 10 pairs exchanging 2000 messages, at most 60 s of virtual time. Each test adds
// its moves, crashes and workers.

import { join } from "node:path";

const crashPairsPath = join(import.meta.dirname, "..", "property", "fixtures", "crash-pairs.asm");

/** `sterna` arguments of the crash-pairs boot, then `more`. */
export function crashPairsRun(...more: string[]): string[] {
  return crashPairsRunOf("1 10 2000", ...more);
}

/** The same boot with other program arguments (rounds, pairs, messages), then `more`. */
export function crashPairsRunOf(argumentsText: string, ...more: string[]): string[] {
  return [
    "boot",
    "--nodes",
    "4",
    "--seed",
    "7",
    "--run",
    crashPairsProgram(argumentsText),
    "--until",
    "60s",
    ...more,
  ];
}

/** The crash-pairs program with other arguments (rounds, pairs, messages). */
export function crashPairsProgram(argumentsText: string): string {
  return `${crashPairsPath} ${argumentsText}`;
}
