// Every fuzz target, by name, in the order the campaign runs them.

import type { FuzzTarget } from "../target.ts";
import { codeBytesTarget } from "./code-bytes.ts";
import { commandLinesTarget } from "./command-lines.ts";
import { elfFilesTarget } from "./elf-files.ts";
import { syscallsTarget } from "./syscalls.ts";

export const fuzzTargets: readonly FuzzTarget<never>[] = [
  elfFilesTarget,
  commandLinesTarget,
  syscallsTarget,
  codeBytesTarget,
] as unknown as readonly FuzzTarget<never>[];

export function findTarget(name: string): FuzzTarget<unknown> | undefined {
  return fuzzTargets.find((target) => target.name === name) as FuzzTarget<unknown> | undefined;
}
