// The guests of `sterna bench balance`, assembled from source: the job, the injector with its
// schedule, and the bundled Starters (userland/starters), which exist only once built.

import { existsSync } from "node:fs";
import { join } from "node:path";
import { repositoryRoot } from "../../cli/program-file.ts";

export { assembleFile, assembleImage } from "../guest-image.ts";

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
