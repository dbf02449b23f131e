#!/usr/bin/env node
// Entry for `npx sterna`: runs the CLI bundle dist/cli/main.js (built by `npm run build`, the
// `prepare` step of npm install) while every file it was built from is unchanged (same size
// and mtime as dist/cli/inputs.json records); otherwise the TypeScript CLI through tsx's
// loader, so a stale build never runs. `boot` and `bench cluster` always run from the
// sources: a cluster loads the kernel's node software and its worker threads as TypeScript
// modules at run time.
import { readFileSync, statSync } from "node:fs";

const root = new URL("../", import.meta.url);
const bundle = new URL("dist/cli/main.js", root);

function bundleIsCurrent() {
  try {
    const inputs = JSON.parse(readFileSync(new URL("dist/cli/inputs.json", root), "utf8"));
    for (const input of inputs) {
      const stats = statSync(new URL(input.path, root));
      if (stats.size !== input.sizeBytes || stats.mtimeMs !== input.mtimeMs) return false;
    }
    return inputs.length > 0;
  } catch {
    return false;
  }
}

const [command, subcommand] = process.argv.slice(2);
const startsCluster = command === "boot" || (command === "bench" && subcommand === "cluster");

if (!startsCluster && bundleIsCurrent()) {
  await import(bundle.href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("../tools/cli/main.ts");
}
