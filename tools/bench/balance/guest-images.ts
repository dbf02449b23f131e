// The guests of `sterna bench balance`, assembled from source: the job, the injector with its
// schedule, and the bundled Starters (userland/starters), which exist only once built.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { assemble } from "../../asm/assemble.ts";
import { readTextFile } from "../../cli/input-file.ts";
import { userlandIncludeDirectory } from "../../cli/program-file.ts";

// Paths from the repository root, found through the CLI's own include folder: the same from the
// TypeScript sources and from the CLI bundle (dist/cli, two folders deep as tools/cli is).
const repositoryRoot = join(userlandIncludeDirectory, "..", "..");
const userlandDirectory = join(repositoryRoot, "userland");
export const jobSourcePath = join(userlandDirectory, "programs", "job.asm");
export const injectorPath = join(
  repositoryRoot,
  "tools",
  "bench",
  "programs",
  "balance-injector.asm",
);

export function starterSourcePath(name: string): string {
  return join(userlandDirectory, "starters", `${name}.asm`);
}

export function starterExists(name: string): boolean {
  return existsSync(starterSourcePath(name));
}

/** An ELF image from assembly text; `fileName` names it in errors and finds its includes. */
export function assembleImage(source: string, fileName: string): Uint8Array {
  const result = assemble(source, {
    fileName,
    format: "elf",
    includePaths: [userlandIncludeDirectory],
    readFile: readTextFile,
  });
  if (!result.ok || !result.output) {
    const first = result.diagnostics.find((diagnostic) => diagnostic.severity === "error");
    throw new Error(`${fileName} does not assemble${first ? `: ${first.message}` : ""}`);
  }
  return result.output;
}

export function assembleFile(path: string): Uint8Array {
  return assembleImage(readFileSync(path, "utf8"), path);
}
